#include "examples/chat/chat_app.hpp"

#include <memory>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/this_coro.hpp>

#include "cogi/framework/json_writer.hpp"
#include "examples/chat/hub.hpp"
#include "examples/chat/page.hpp"

namespace cogi::examples {
namespace {

using namespace asio::experimental::awaitable_operators;
using chat::hub;
using chat::member;

asio::awaitable<asio::execution_context*> this_loop() {
  const auto executor = co_await asio::this_coro::executor;
  co_return &asio::query(executor, asio::execution::context);
}

std::string said(std::string_view name, std::string_view text) {
  picojson::object message;
  message["name"] = picojson::value(std::string(name));
  message["text"] = picojson::value(std::string(text));
  return to_json(picojson::value(std::move(message)));
}

std::string notice(std::string text) {
  picojson::object message;
  message["notice"] = picojson::value(std::move(text));
  return to_json(picojson::value(std::move(message)));
}

// What the member says goes to the room, until it leaves.
asio::awaitable<void> listen(hub& rooms, websocket& ws, const std::string& room, const std::string& name) {
  while (auto message = co_await ws.next()) {
    if (message->is_text()) rooms.say(room, said(name, message->data()));
  }
}

// What the room says goes to the member, in order; the outbox closes when the hub drops
// a member too slow to keep up, or at shutdown.
asio::awaitable<void> relay(websocket& ws, member& me) {
  try {
    for (;;) {
      const std::string text = co_await me.outbox.get();
      co_await ws.send_text(text);
    }
  } catch (const async::queue_closed&) {
  }
}

task<void> converse(std::shared_ptr<hub> rooms, websocket& ws) {
  const std::string room(ws.path_params().get("room"));
  const std::string name(ws.query().get_or("name", "anonymous"));
  co_await ws.accept();
  asio::execution_context* loop = co_await this_loop();
  member me;
  rooms->join(*loop, room, me);
  rooms->say(room, notice(name + " joined"));
  // Both at once: the first to end (the member left, or was dropped) ends the other.
  co_await (listen(*rooms, ws, room, name) || relay(ws, me));
  rooms->leave(*loop, room, me);
  rooms->say(room, notice(name + " left"));
  if (me.outbox.closed() && ws.current_state() == websocket::state::connected)
    co_await ws.close(1008, "too slow to keep up with the room");
}

}  // namespace

cogi::app make_chat_app() {
  auto rooms = std::make_shared<hub>();
  cogi::app app;
  app.on_startup([rooms](state_map&) -> asio::awaitable<void> {
    const auto executor = co_await asio::this_coro::executor;
    // start_loop() sets the loop up now; what it returns runs beside the loop's requests.
    asio::co_spawn(executor, rooms->start_loop(asio::query(executor, asio::execution::context)), asio::detached);
  });
  app.on_shutdown([rooms](state_map&) -> asio::awaitable<void> {
    asio::execution_context* loop = co_await this_loop();
    rooms->stop_loop(*loop);
  });
  app.get("/", [](request&) -> task<> { co_return html(std::string(chat::page)); });
  app.websocket("/ws/{room}", [rooms](websocket& ws) { return converse(rooms, ws); });
  return app;
}

}  // namespace cogi::examples
