#pragma once
// request: a handler's view of one HTTP request, built over the contract's scope and
// receive(). Everything is read lazily: nothing is parsed or copied that the handler
// does not ask for.
//
//   auto id = req.path_params().get<std::int64_t>("id");
//   auto page = req.query().get_or("page", "1");
//   auto token = req.header("Authorization");          // any case
//   picojson::value doc = co_await req.json();          // 400 if malformed
//   while (auto chunk = co_await req.read_chunk()) hash.update(*chunk);  // or stream the body
//
// Lifetime: a request and every view it hands out live for the handler's call.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <asio/awaitable.hpp>
#include <picojson.h>

#include "cogi/framework/path_params.hpp"
#include "cogi/framework/request_lifetime.hpp"
#include "cogi/framework/url_encoded.hpp"
#include "cogi/server/async/event.hpp"
#include "cogi/server/contract/app.hpp"

namespace cogi {

class request {
 public:
  // 1 MiB, nginx's client_max_body_size default; pass a larger limit where needed.
  static constexpr std::size_t default_body_limit = 1 << 20;

  request(cogi::scope& scope, receive_fn receive);
  request(const request&) = delete;
  request& operator=(const request&) = delete;

  cogi::scope& scope() { return scope_; }
  const cogi::scope& scope() const { return scope_; }
  std::string_view method() const { return scope_.method; }
  // The percent-decoded path, root_path included (as ASGI and uvicorn give it).
  std::string_view path() const { return scope_.path; }
  std::string_view query_string() const { return scope_.query_string; }
  const address* client() const { return scope_.client; }

  // The route's parameters (set by the router).
  const cogi::path_params& path_params() const { return path_params_; }
  void set_path_params(const cogi::path_params& params) { path_params_ = params; }

  // The query string's parameters, percent-decoded, repeated keys kept.
  const url_encoded& query();

  // The first value of a header (name in any case), or an empty view.
  std::string_view header(std::string_view name) const;
  // Every value of a header, in arrival order.
  std::vector<std::string_view> header_values(std::string_view name) const;
  bool has_header(std::string_view name) const;

  // A cookie from the Cookie header(s).
  std::optional<std::string_view> cookie(std::string_view name) const;

  // The whole body, read once and kept. More than `limit` bytes is a 413. Throws
  // client_disconnected if the client leaves first.
  asio::awaitable<std::string_view> body(std::size_t limit = default_body_limit);
  // The next piece of the body as it arrives, or nullopt at its end; never an empty
  // piece. The view lives until the next call. Not after body() (and vice versa).
  asio::awaitable<std::optional<std::string_view>> read_chunk();
  // The body parsed as JSON (strictly: see json_reader.hpp); a malformed body is a 400
  // whose detail says what is wrong and where, without echoing the body.
  asio::awaitable<picojson::value> json(std::size_t limit = default_body_limit);
  // The body parsed as application/x-www-form-urlencoded.
  asio::awaitable<url_encoded> form(std::size_t limit = default_body_limit);

  // Whether the client is known to have gone, or the server to be ending long-lived
  // responses (graceful shutdown). Known from a body read, or from wait_for_disconnect(),
  // which runs by itself while a streaming response is produced (see response.hpp):
  // a producer can check it between events, as in Starlette.
  bool is_disconnected() const { return disconnected_; }
  // Completes once the client has gone or the server asks long-lived responses to end.
  // It listens only after the body has been read whole (at once for a request without
  // one): it never takes body the handler has not read. Cancellable.
  asio::awaitable<void> wait_for_disconnect();

  // Per-request state: what middleware hands to the handler (a user, a request id).
  state_map& state() { return state_; }
  // Per-loop state from lifespan startup (scope.state); null when there is none.
  state_map* app_state() const { return scope_.state; }

  // What lives until the response has been sent: dependencies' values and background
  // tasks (request_lifetime.hpp). Made on first use.
  request_lifetime& lifetime();
  request_lifetime* lifetime_if_any() const { return lifetime_.get(); }

 private:
  enum class body_mode { unread, streaming, whole };

  cogi::scope& scope_;
  receive_fn receive_;
  cogi::path_params path_params_;
  std::unique_ptr<url_encoded> query_;  // parsed on first use
  // Every receive() goes through here: it notes the body's end and the disconnect.
  asio::awaitable<receive_event> next_event();

  body_mode body_mode_ = body_mode::unread;
  bool body_done_;            // true from the start for a request without a body
  bool disconnected_ = false;
  async::event body_read_;    // set once body_done_ (wait_for_disconnect() waits on it)
  std::string body_;
  state_map state_;
  std::unique_ptr<request_lifetime> lifetime_;
};

}  // namespace cogi
