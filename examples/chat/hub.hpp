#pragma once
// The chat's rooms, across every loop. Each loop keeps its own members (connections it
// serves) and an inbox; a message said on any loop goes into every loop's inbox (the
// toolkit's thread_queue, the one thing shared between threads), and each loop hands it
// on to its own members of the room. A member's outbox is bounded: a member that does
// not keep up is dropped from the room rather than slowing the others.

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/execution_context.hpp>

#include "cogi/server/async/per_loop.hpp"
#include "cogi/server/async/queue.hpp"
#include "cogi/server/async/thread_queue.hpp"

namespace cogi::examples::chat {

// One connection in a room: what is to be sent to it, in order.
struct member {
  static constexpr std::size_t outbox_size = 256;
  async::queue<std::string> outbox{outbox_size};
};

// A message on its way to every loop.
struct delivery {
  std::string room;
  std::string text;  // as sent to the members (JSON)
};

class hub {
 public:
  // On each loop, at startup: its rooms and its inbox (before any member joins), and
  // the coroutine that hands the inbox's messages to the loop's members: spawn it on
  // the loop, to run until stop_loop().
  asio::awaitable<void> start_loop(asio::execution_context& loop);
  // On each loop, at shutdown: its inbox closes, which ends what start_loop() returned.
  void stop_loop(asio::execution_context& loop);

  // On the member's loop.
  void join(asio::execution_context& loop, const std::string& room, member& m);
  void leave(asio::execution_context& loop, const std::string& room, member& m);
  // From any loop: to everyone in `room`, on every loop.
  void say(const std::string& room, std::string text);

 private:
  struct loop_state {
    async::thread_queue<delivery> inbox;
    std::map<std::string, std::set<member*>> rooms;
  };
  asio::awaitable<void> hand_out(asio::execution_context& loop, loop_state& mine);
  async::per_loop<loop_state> loops_;
  std::mutex inboxes_mutex_;
  std::vector<async::thread_queue<delivery>*> inboxes_;
};

}  // namespace cogi::examples::chat
