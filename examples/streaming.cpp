// Streaming responses: a body produced chunk by chunk, and Server-Sent Events.
// build/examples/streaming, then:
//   curl -N http://127.0.0.1:8000/count?to=5     (a line every 200 ms)
//   curl -N http://127.0.0.1:8000/ticks          (an event every second; keep-alives between)
#include <charconv>

#include "cogi/framework/app.hpp"
#include "cogi/framework/sse.hpp"
#include "cogi/server/async/sleep.hpp"
#include "cogi/server/runtime/run.hpp"

using namespace std::chrono_literals;

asio::awaitable<void> count(int to, cogi::body_writer& out) {
  for (int i = 1; i <= to; ++i) {
    const std::string line = std::to_string(i) + "\n";
    co_await out.write(line);  // returns once the client takes it (backpressure)
    co_await cogi::async::sleep_for(200ms);
  }
}

asio::awaitable<void> ticks(cogi::sse_writer& out) {
  for (int i = 0;; ++i) {  // ends when the client leaves: write() throws client_disconnected
    const std::string data = "tick " + std::to_string(i);  // named: GCC 12 and co_await temporaries
    co_await out.send(data, "tick");
    co_await cogi::async::sleep_for(1s);
  }
}

int main(int argc, char** argv) {
  cogi::app app;
  app.get("/count", [](cogi::request& req) -> cogi::task<> {
    const auto text = req.query().get_or("to", "10");
    int to = 10;
    std::from_chars(text.data(), text.data() + text.size(), to);
    co_return cogi::stream([to](cogi::body_writer& out) { return count(to, out); });
  });
  app.get("/ticks", [](cogi::request&) -> cogi::task<> { co_return cogi::event_stream(ticks); });
  return cogi::run(app, argc, argv);
}
