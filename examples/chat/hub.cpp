#include "examples/chat/hub.hpp"

#include <algorithm>

namespace cogi::examples::chat {

asio::awaitable<void> hub::start_loop(asio::execution_context& loop) {
  loop_state& mine = loops_.emplace(loop);
  {
    const std::lock_guard lock(inboxes_mutex_);
    inboxes_.push_back(&mine.inbox);
  }
  return hand_out(loop, mine);
}

asio::awaitable<void> hub::hand_out(asio::execution_context& loop, loop_state& mine) {
  try {
    for (;;) {
      const delivery message = co_await mine.inbox.get();
      const auto room = mine.rooms.find(message.room);
      if (room == mine.rooms.end()) continue;
      // A copy of the set: dropping a slow member changes the room.
      const std::vector<member*> members(room->second.begin(), room->second.end());
      for (member* m : members) {
        std::string copy = message.text;
        if (!m->outbox.try_put(std::move(copy))) {
          room->second.erase(m);  // too slow: its connection ends when its outbox closes
          m->outbox.close();
        }
      }
    }
  } catch (const async::queue_closed&) {
    // stop_loop(): the server is shutting down
  }
  for (auto& [name, members] : mine.rooms)
    for (member* m : members) m->outbox.close();
  loops_.erase(loop);
}

void hub::stop_loop(asio::execution_context& loop) {
  loop_state* mine = loops_.find(loop);
  if (mine == nullptr) return;
  {
    const std::lock_guard lock(inboxes_mutex_);
    std::erase(inboxes_, &mine->inbox);
  }
  mine->inbox.close();
}

void hub::join(asio::execution_context& loop, const std::string& room, member& m) {
  if (loop_state* mine = loops_.find(loop)) mine->rooms[room].insert(&m);
}

void hub::leave(asio::execution_context& loop, const std::string& room, member& m) {
  loop_state* mine = loops_.find(loop);
  if (mine == nullptr) return;
  const auto found = mine->rooms.find(room);
  if (found == mine->rooms.end()) return;
  found->second.erase(&m);
  if (found->second.empty()) mine->rooms.erase(found);
}

void hub::say(const std::string& room, std::string text) {
  const std::lock_guard lock(inboxes_mutex_);
  for (auto* inbox : inboxes_) {
    delivery message{room, text};
    inbox->try_put(std::move(message));  // unbounded: never refused while open
  }
}

}  // namespace cogi::examples::chat
