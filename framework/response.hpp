#pragma once
// response: what a handler returns. A status, headers and either a body held in memory
// or a producer coroutine that streams the body (streaming responses, Server-Sent
// Events, files). Build one with the helpers below and adjust it freely:
//
//   co_return cogi::text("Hello, World!");
//   co_return cogi::json(picojson::value(object), 201);
//   auto res = cogi::redirect("/login");
//   res.set_cookie("session", token, {.http_only = true});

#include <functional>
#include <string>
#include <string_view>

#include <asio/awaitable.hpp>
#include <picojson.h>

#include "cogi/framework/cookies.hpp"
#include "cogi/framework/header_list.hpp"
#include "cogi/framework/request.hpp"
#include "cogi/server/contract/app.hpp"

namespace cogi {

// What a streaming producer writes its body through.
class body_writer {
 public:
  explicit body_writer(send_fn send) : send_(send) {}
  // Sends one chunk; returns once it is written or buffered (backpressure). Throws
  // client_disconnected when the client has gone: the producer's cleanup then runs.
  asio::awaitable<void> write(std::string_view chunk);

 private:
  send_fn send_;
};

class response {
 public:
  using producer_fn = std::function<asio::awaitable<void>(body_writer&)>;

  explicit response(int status_code = 200) : status(status_code) {}

  int status;
  header_list headers;

  std::string_view body() const { return body_; }
  void set_body(std::string body) { body_ = std::move(body); producer_ = nullptr; }

  // Makes this a streaming response: after the head, `producer` writes the body in
  // chunks (sent chunked unless a content-length header is set). Not called for HEAD.
  void set_producer(producer_fn producer) { producer_ = std::move(producer); body_.clear(); }
  bool streaming() const { return static_cast<bool>(producer_); }
  const producer_fn& producer() const { return producer_; }

  // Adds a Set-Cookie field (see cookies.hpp for the attributes and defaults).
  void set_cookie(std::string_view name, std::string_view value, const cookie_options& options = {});
  // Tells the client to drop a cookie: an empty value that expired already. Path and
  // domain must match the ones it was set with.
  void delete_cookie(std::string_view name, std::string path = "/", std::string domain = {});

 private:
  std::string body_;
  producer_fn producer_;
};

// text/plain; charset=utf-8
response text(std::string body, int status = 200);
// text/html; charset=utf-8
response html(std::string body, int status = 200);
// Raw bytes with the given content type.
response bytes(std::string body, std::string_view content_type = "application/octet-stream", int status = 200);
// application/json, serialised compactly by picojson.
response json(const picojson::value& value, int status = 200);
// A redirect (307 keeps the method and body; 301/302/303/308 as asked) to `location`.
response redirect(std::string_view location, int status = 307);
// A streaming response of the given content type (see response::set_producer).
response stream(response::producer_fn producer, std::string_view content_type = "text/plain; charset=utf-8",
                int status = 200);

// Sends `res` for `req` through the contract: response.start, then the body in one
// event, or the producer's chunks (not for HEAD: the producer is not run). A producer
// runs while `req` is watched (request::wait_for_disconnect): when the client leaves,
// or the server shuts down, the producer is cancelled (its cleanup runs; see
// server/async/cancellation.hpp) and the body is ended, so a stream never outlives its
// client nor holds up a graceful shutdown.
asio::awaitable<void> send_response(response& res, request& req, send_fn send);

// As above, for a response sent without a request object (middleware answering an
// error): a producer runs unwatched.
asio::awaitable<void> send_response(response& res, send_fn send, bool head_request);

}  // namespace cogi
