#include "cogi/framework/sse.hpp"

#include <stdexcept>
#include <string>

#include "cogi/server/async/sleep.hpp"
#include "cogi/server/async/with_companion.hpp"
#include "cogi/server/contract/errors.hpp"

namespace cogi {
namespace {

void check_single_line(std::string_view what, std::string_view text) {
  if (text.find_first_of("\r\n") != std::string_view::npos)
    throw std::invalid_argument("an SSE " + std::string(what) + " must be a single line");
}

// Writes a comment while the stream stays quiet for `interval`, until cancelled. A
// client that has gone ends the pinging but not the producer: the producer finds out
// on its own next write, or is stopped by the response's disconnect watch.
asio::awaitable<void> keep_alive(sse_writer& writer, std::chrono::milliseconds interval) {
  try {
    for (;;) {
      const auto due = writer.last_write() + interval;
      co_await async::sleep_until(due);
      if (std::chrono::steady_clock::now() >= writer.last_write() + interval) co_await writer.comment("keep-alive");
    }
  } catch (const client_disconnected&) {
  }
  co_await async::sleep_until(std::chrono::steady_clock::time_point::max());  // until cancelled
}

asio::awaitable<void> run_event_stream(sse_producer_fn producer, std::chrono::milliseconds interval,
                                       body_writer& out) {
  sse_writer writer(out);
  if (interval.count() <= 0) co_return co_await producer(writer);
  co_await async::with_companion(producer(writer), keep_alive(writer, interval));
}

}  // namespace

asio::awaitable<void> sse_writer::write(std::string frame) {
  auto held = co_await lock_.acquire();
  co_await out_.write(frame);
  last_write_ = std::chrono::steady_clock::now();
}

asio::awaitable<void> sse_writer::send(std::string_view data, std::string_view event, std::string_view id) {
  check_single_line("event name", event);
  check_single_line("id", id);
  std::string frame;
  frame.reserve(data.size() + event.size() + id.size() + 32);
  if (!event.empty()) frame.append("event: ").append(event).append("\n");
  if (!id.empty()) frame.append("id: ").append(id).append("\n");
  // Every line of the data is its own data field; CRLF, LF and CR all end a line.
  std::size_t start = 0;
  for (;;) {
    const auto end = data.find_first_of("\r\n", start);
    frame.append("data: ").append(data.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    frame.append("\n");
    if (end == std::string_view::npos) break;
    start = end + (data.substr(end, 2) == "\r\n" ? 2 : 1);
  }
  frame.append("\n");
  co_await write(std::move(frame));
}

asio::awaitable<void> sse_writer::retry(std::chrono::milliseconds delay) {
  // Named, not a temporary in the co_await: GCC 12 destroys those twice.
  std::string frame = "retry: " + std::to_string(delay.count()) + "\n\n";
  co_await write(std::move(frame));
}

asio::awaitable<void> sse_writer::comment(std::string_view text) {
  check_single_line("comment", text);
  std::string frame = ": " + std::string(text) + "\n\n";
  co_await write(std::move(frame));
}

response event_stream(sse_producer_fn producer, std::chrono::milliseconds keep_alive_interval) {
  response res = stream(
      [producer = std::move(producer), keep_alive_interval](body_writer& out) {
        return run_event_stream(producer, keep_alive_interval, out);
      },
      "text/event-stream");
  res.headers.add("cache-control", "no-cache");
  res.headers.add("x-accel-buffering", "no");  // nginx: pass events through at once
  return res;
}

}  // namespace cogi
