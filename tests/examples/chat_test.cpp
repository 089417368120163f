// The chat example (examples/chat/): rooms in-process through the test client, and
// across two loops on the real server, where members of one room are served by
// different threads.

#include "examples/chat/chat_app.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cogi/framework/json_reader.hpp"
#include "cogi/framework/test_client.hpp"
#include "tests/support/running_server.hpp"
#include "tests/support/websocket_client.hpp"

namespace cogi::testing {
namespace {

std::string field(const picojson::value& message, const std::string& name) {
  return message.contains(name) ? message.get(name).to_str() : "";
}

TEST(Chat, MembersOfARoomHearEachOtherAndNoOneElse) {
  test_client client(examples::make_chat_app());
  auto alice = client.websocket_connect("/ws/lobby?name=alice");
  EXPECT_EQ(field(alice.receive_json(), "notice"), "alice joined");
  auto bob = client.websocket_connect("/ws/lobby?name=bob");
  EXPECT_EQ(field(alice.receive_json(), "notice"), "bob joined");
  EXPECT_EQ(field(bob.receive_json(), "notice"), "bob joined");
  auto carol = client.websocket_connect("/ws/kitchen?name=carol");
  EXPECT_EQ(field(carol.receive_json(), "notice"), "carol joined");

  alice.send_text("hello, room");
  for (auto* member : {&alice, &bob}) {
    const picojson::value message = member->receive_json();
    EXPECT_EQ(field(message, "name"), "alice");
    EXPECT_EQ(field(message, "text"), "hello, room");
  }
  carol.send_text("anyone?");
  EXPECT_EQ(field(carol.receive_json(), "text"), "anyone?") << "carol's room is her own";
  bob.close();
  EXPECT_EQ(field(alice.receive_json(), "notice"), "bob left");
  alice.send_text("still here");
  EXPECT_EQ(field(alice.receive_json(), "text"), "still here");
}

TEST(Chat, RoomsSpanLoops) {
  auto config = running_server::quiet_config();
  config.loops = 2;
  running_server server(examples::make_chat_app(), config);
  // Connections are handed to the loops in turn: these four are served by both.
  std::vector<std::unique_ptr<websocket_client>> members;
  for (int i = 0; i < 4; ++i) {
    members.push_back(std::make_unique<websocket_client>(server.port(), "/ws/general?name=m" + std::to_string(i)));
    ASSERT_EQ(members.back()->handshake_status(), 101);
    // Each hears its own join (and so is in the room before the next one joins).
    while (field(read_json(members.back()->next_message().payload), "notice") != "m" + std::to_string(i) + " joined") {
    }
  }
  members[0]->send_text("from m0");
  members[3]->send_text("from m3");
  for (auto& m : members) {
    std::set<std::string> heard;
    while (heard.size() < 2) {
      const picojson::value message = read_json(m->next_message().payload);
      if (!field(message, "text").empty()) heard.insert(field(message, "text"));
    }
    EXPECT_EQ(heard, (std::set<std::string>{"from m0", "from m3"}));
  }
}

}  // namespace
}  // namespace cogi::testing
