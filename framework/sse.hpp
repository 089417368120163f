#pragma once
// Server-Sent Events (the WHATWG HTML "text/event-stream" format): a streaming response
// whose producer sends events, with a keep-alive comment whenever the stream has been
// quiet for a while, so proxies and browsers do not time the connection out.
//
//   app.get("/clock", [](cogi::request&) -> cogi::task<> {
//     co_return cogi::event_stream(tick);   // tick(cogi::sse_writer&) sends events
//   });
//
// When the client goes away, the producer's next send throws client_disconnected; the
// keep-alive task is stopped and awaited either way.

#include <chrono>
#include <functional>
#include <string_view>

#include <asio/awaitable.hpp>

#include "cogi/framework/response.hpp"
#include "cogi/server/async/lock.hpp"

namespace cogi {

class sse_writer {
 public:
  explicit sse_writer(body_writer& out) : out_(out) {}

  // Sends one event. Multi-line data becomes several "data:" lines. `event` and `id`
  // must be single lines (std::invalid_argument otherwise); empty ones are left out.
  asio::awaitable<void> send(std::string_view data, std::string_view event = {}, std::string_view id = {});
  // Asks the client to wait this long before reconnecting.
  asio::awaitable<void> retry(std::chrono::milliseconds delay);
  // A comment line (": text"), ignored by clients: what the keep-alive sends.
  asio::awaitable<void> comment(std::string_view text);

  // When the stream last carried anything.
  std::chrono::steady_clock::time_point last_write() const { return last_write_; }

 private:
  asio::awaitable<void> write(std::string frame);

  body_writer& out_;
  async::lock lock_;  // the producer and the keep-alive write in turn, never interleaved
  std::chrono::steady_clock::time_point last_write_ = std::chrono::steady_clock::now();
};

using sse_producer_fn = std::function<asio::awaitable<void>(sse_writer&)>;

// A text/event-stream response (no-cache, not buffered by proxies) driven by
// `producer`. `keep_alive` 0 turns the keep-alive comments off.
response event_stream(sse_producer_fn producer, std::chrono::milliseconds keep_alive = std::chrono::seconds(15));

}  // namespace cogi
