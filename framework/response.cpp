#include "cogi/framework/response.hpp"

#include <exception>

#include "cogi/framework/json_writer.hpp"
#include "cogi/server/async/with_companion.hpp"

namespace cogi {

asio::awaitable<void> body_writer::write(std::string_view chunk) {
  if (chunk.empty()) co_return;  // an empty chunk would end a chunked body early
  co_await send_(response_body{chunk, true});
}

void response::set_cookie(std::string_view name, std::string_view value, const cookie_options& options) {
  headers.add("set-cookie", format_set_cookie(name, value, options));
}

void response::delete_cookie(std::string_view name, std::string path, std::string domain) {
  cookie_options expired;
  expired.max_age = std::chrono::seconds(0);
  expired.path = std::move(path);
  expired.domain = std::move(domain);
  set_cookie(name, "", expired);
}

namespace {
response with_body(std::string body, std::string_view content_type, int status) {
  response res(status);
  res.headers.add("content-type", content_type);
  res.set_body(std::move(body));
  return res;
}
}  // namespace

response text(std::string body, int status) { return with_body(std::move(body), "text/plain; charset=utf-8", status); }

response html(std::string body, int status) { return with_body(std::move(body), "text/html; charset=utf-8", status); }

response bytes(std::string body, std::string_view content_type, int status) {
  return with_body(std::move(body), content_type, status);
}

response json(const picojson::value& value, int status) {
  return with_body(to_json(value), "application/json", status);
}

response redirect(std::string_view location, int status) {
  response res(status);
  res.headers.add("location", location);
  return res;
}

response stream(response::producer_fn producer, std::string_view content_type, int status) {
  response res(status);
  res.headers.add("content-type", content_type);
  res.set_producer(std::move(producer));
  return res;
}

namespace {

constexpr response_body end_of_body{{}, false};

// Runs the producer beside a watch for the client leaving (or the server asking long
// streams to end): whichever ends first stops the other (async::with_companion).
asio::awaitable<void> produce_watched(const response::producer_fn& producer, request& req, send_fn send) {
  body_writer writer(send);
  std::exception_ptr failure;
  try {
    co_await async::with_companion(producer(writer), req.wait_for_disconnect());
  } catch (...) {
    failure = std::current_exception();
  }
  // Stopped by the watch: end the body. At shutdown the client is still there and gets a
  // whole response; a client that left makes the send throw client_disconnected, which
  // tells the server, quietly.
  const bool stopped = failure && req.is_disconnected();
  if (failure && !stopped) std::rethrow_exception(failure);
  co_await send(end_of_body);
}

}  // namespace

asio::awaitable<void> send_response(response& res, request& req, send_fn send) {
  const response_start start{res.status, res.headers.as_span()};
  co_await send(start);
  if (!res.streaming() || req.method() == "HEAD") {
    const response_body body{res.body(), false};
    co_await send(body);
    co_return;
  }
  co_await produce_watched(res.producer(), req, send);
}

asio::awaitable<void> send_response(response& res, send_fn send, bool head_request) {
  const response_start start{res.status, res.headers.as_span()};
  co_await send(start);
  if (!res.streaming() || head_request) {
    const response_body body{res.body(), false};
    co_await send(body);
    co_return;
  }
  body_writer writer(send);
  co_await res.producer()(writer);
  co_await send(end_of_body);
}

}  // namespace cogi
