// What bench/websocket.sh measures cogi with: the framework's WebSocket routes.
//   /ws/echo             every message back as it came
//   /ws/fanout           listeners; /ws/fanout?send=1 is the sender, whose every message
//                        goes to all listeners, one send() after another
// The listeners are one loop's (the benchmark runs one loop, as it runs one worker of
// every other server); examples/chat shows rooms across loops.

#include <list>

#include "cogi/framework/app.hpp"
#include "cogi/server/runtime/run.hpp"

namespace {

cogi::task<void> echo(cogi::websocket& ws) {
  co_await ws.accept();
  while (auto message = co_await ws.next()) {
    if (message->is_text()) {
      co_await ws.send_text(message->data());
    } else {
      co_await ws.send_bytes(message->data());
    }
  }
}

std::list<cogi::websocket*>& listeners() {
  thread_local std::list<cogi::websocket*> all;
  return all;
}

cogi::task<void> fanout(cogi::websocket& ws) {
  co_await ws.accept();
  if (ws.query().get_or("send", "") != "1") {
    auto& all = listeners();
    const auto me = all.insert(all.end(), &ws);
    while (co_await ws.next()) {
    }
    all.erase(me);
    co_return;
  }
  while (auto message = co_await ws.next()) {
    const std::string text(message->data());
    for (cogi::websocket* listener : listeners()) {
      try {
        co_await listener->send_text(text);
      } catch (const cogi::client_disconnected&) {
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  cogi::app app;
  app.websocket("/ws/echo", echo);
  app.websocket("/ws/fanout", fanout);
  return cogi::run(app, argc, argv);
}
