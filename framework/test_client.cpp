#include "framework/test_client.hpp"

#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <variant>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include "framework/json_reader.hpp"
#include "framework/json_writer.hpp"
#include "server/async/event.hpp"
#include "server/contract/errors.hpp"
#include "server/http/percent.hpp"
#include "server/http/status.hpp"
#include "server/http/validation.hpp"

namespace cogi {

std::string_view test_response::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (http::iequals(n, name)) return v;
  return {};
}

std::vector<std::string_view> test_response::header_values(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const auto& [n, v] : headers)
    if (http::iequals(n, name)) values.emplace_back(v);
  return values;
}

picojson::value test_response::json() const {
  try {
    return read_json(body);
  } catch (const json_syntax_error& error) {
    throw std::runtime_error(std::string("response body is not JSON: ") + error.what());
  }
}

namespace {

// One request's exchange: the scope and what the app sent back.
struct exchange {
  // The request side.
  std::string method, raw_path, path_storage, query;
  std::vector<std::string> header_storage;  // lower-cased names and values, alternating
  std::vector<header> headers;
  std::vector<std::string> body_pieces;
  std::size_t next_piece = 0;
  std::size_t disconnect_after = 0;
  cogi::scope scope;

  // The response side.
  test_response response;
  bool started = false;
  bool finished = false;
  bool disconnected = false;
  std::size_t body_events = 0;
  async::event response_done;  // receive() after the body waits for it (ASGI)
};

asio::awaitable<receive_event> receive_next(exchange& ex) {
  if (!ex.disconnected && ex.next_piece < ex.body_pieces.size()) {
    const std::size_t i = ex.next_piece++;
    co_return receive_event{receive_type::http_request, ex.body_pieces[i], i + 1 < ex.body_pieces.size()};
  }
  co_await ex.response_done.wait();
  co_return receive_event{receive_type::http_disconnect, {}, false};
}

void client_leaves(exchange& ex) {
  ex.disconnected = true;
  ex.response_done.set();
}

asio::awaitable<void> record(exchange& ex, send_event event) {
  if (ex.disconnected) throw client_disconnected();
  if (const auto* start = std::get_if<response_start>(&event)) {
    if (ex.started) throw protocol_error("response.start sent twice");
    ex.started = true;
    ex.response.status = start->status;
    for (const auto& h : start->headers) ex.response.headers.emplace_back(h.name, h.value);
    co_return;
  }
  const auto* body = std::get_if<response_body>(&event);
  if (!body) throw protocol_error("a lifespan message sent in an http scope");
  if (!ex.started) throw protocol_error("response.body sent before response.start");
  if (ex.finished) throw protocol_error("response.body sent after the final body");
  ++ex.body_events;
  if (!body->body.empty()) {
    ex.response.chunks.emplace_back(body->body);
    ex.response.body.append(body->body);
  }
  if (!body->more_body) {
    ex.finished = true;
    ex.response_done.set();
  } else if (ex.disconnect_after != 0 && ex.body_events >= ex.disconnect_after) {
    client_leaves(ex);
  }
}

// What the server's response encoder adds: the framing headers, and no body for HEAD or
// for statuses that forbid one.
void frame_like_the_server(exchange& ex) {
  auto& res = ex.response;
  const bool no_body = http::status_forbids_body(res.status);
  if (!no_body && res.header("content-length").empty() && res.header("transfer-encoding").empty()) {
    if (ex.body_events <= 1) {
      res.headers.emplace_back("content-length", std::to_string(res.body.size()));
    } else {
      res.headers.emplace_back("transfer-encoding", "chunked");
    }
  }
  if (no_body || ex.method == "HEAD") {
    res.body.clear();
    res.chunks.clear();
  }
}

}  // namespace

struct test_client::impl {
  app_fn app;
  test_client_options options;
  asio::io_context loop{1};
  state_map state;
  address server{"testserver", 80};

  // Lifespan.
  cogi::scope lifespan_scope;
  int lifespan_phase = 0;  // receive() calls so far
  bool lifespan_answered = false;
  std::string lifespan_failure;
  bool lifespan_running = false;
  async::event shutdown_requested;

  // Before the loop goes away: lets outstanding work finish. A blocking-pool thread
  // holds work on the loop until its wake-up post has fully returned; destroying the
  // io_context earlier would race with that post. Bounded, in case an app left a task
  // running forever.
  void drain() {
    loop.restart();
    loop.run_for(std::chrono::seconds(5));
  }

  // Runs the loop until `done` is true (other work, like the lifespan waiting for its
  // shutdown, may stay pending).
  template <class Done>
  void run_until(Done done) {
    loop.restart();
    while (!done()) loop.run_one();
    loop.poll();
  }
};

namespace {

asio::awaitable<receive_event> lifespan_receive(test_client::impl& self) {
  if (self.lifespan_phase++ == 0) co_return receive_event{receive_type::lifespan_startup, {}, false};
  co_await self.shutdown_requested.wait();
  co_return receive_event{receive_type::lifespan_shutdown, {}, false};
}

asio::awaitable<void> lifespan_send(test_client::impl& self, send_event event) {
  self.lifespan_answered = true;
  if (const auto* failed = std::get_if<lifespan_startup_failed>(&event)) self.lifespan_failure = failed->message;
  if (const auto* failed = std::get_if<lifespan_shutdown_failed>(&event)) self.lifespan_failure = failed->message;
  co_return;
}

asio::awaitable<void> run_lifespan(test_client::impl& self) {
  auto receive = [&self]() { return lifespan_receive(self); };
  auto send = [&self](const send_event& event) { return lifespan_send(self, event); };
  try {
    co_await self.app(self.lifespan_scope, receive, send);
  } catch (...) {
    // An app without lifespan support may throw on the lifespan scope; like uvicorn's
    // "auto" mode, carry on without it.
  }
}

asio::awaitable<void> run_exchange(const app_fn& app, exchange& ex) {
  auto receive = [&ex]() { return receive_next(ex); };
  auto send = [&ex](const send_event& event) { return record(ex, event); };
  co_await app(ex.scope, receive, send);
}

}  // namespace

test_client::test_client(app_fn app, test_client_options options) : impl_(std::make_unique<impl>()) {
  impl_->app = std::move(app);
  impl_->options = std::move(options);
  impl_->lifespan_scope.type = scope_type::lifespan;
  impl_->lifespan_scope.state = &impl_->state;
  impl_->lifespan_running = true;
  impl& self = *impl_;
  asio::co_spawn(self.loop, run_lifespan(self), [&self](std::exception_ptr) { self.lifespan_running = false; });
  self.run_until([&self] { return self.lifespan_answered || !self.lifespan_running; });
  if (!self.lifespan_failure.empty()) {
    const std::string message = "lifespan startup failed: " + self.lifespan_failure;
    self.shutdown_requested.set();
    self.run_until([&self] { return !self.lifespan_running; });
    self.drain();
    throw std::runtime_error(message);
  }
}

test_client::~test_client() {
  impl& self = *impl_;
  self.shutdown_requested.set();
  self.run_until([&self] { return !self.lifespan_running; });
  self.drain();
}

state_map& test_client::state() { return impl_->state; }

namespace {

// Builds the exchange's scope and body from a test request, as the server would from the
// wire: lower-cased header names, a Host, framing headers, the decoded path.
void prepare(test_client::impl& self, exchange& ex, test_request req) {
  ex.method = std::move(req.method);
  const auto question = req.target.find('?');
  ex.raw_path = self.options.root_path + req.target.substr(0, question);
  if (question != std::string::npos) ex.query = req.target.substr(question + 1);
  std::string decoded;
  ex.path_storage = std::string(http::percent_decode(ex.raw_path, decoded));

  bool has_host = false;
  for (auto& [name, value] : req.headers) {
    for (char& c : name) c = http::ascii_lower(c);
    has_host = has_host || name == "host";
  }
  if (!has_host) req.headers.insert(req.headers.begin(), {"host", "testserver"});
  if (!req.body_chunks.empty()) {
    req.headers.emplace_back("transfer-encoding", "chunked");
    ex.body_pieces = std::move(req.body_chunks);
  } else {
    if (!req.body.empty()) req.headers.emplace_back("content-length", std::to_string(req.body.size()));
    ex.body_pieces.push_back(std::move(req.body));
  }
  for (auto& [name, value] : req.headers) {
    ex.header_storage.push_back(std::move(name));
    ex.header_storage.push_back(std::move(value));
  }
  for (std::size_t i = 0; i < ex.header_storage.size(); i += 2)
    ex.headers.push_back({ex.header_storage[i], ex.header_storage[i + 1]});
  ex.disconnect_after = req.disconnect_after_body_events;

  scope& sc = ex.scope;
  sc.type = scope_type::http;
  sc.http_version = "1.1";
  sc.method = ex.method;
  sc.scheme = "http";
  sc.path = ex.path_storage;
  sc.raw_path = ex.raw_path;
  sc.query_string = ex.query;
  sc.root_path = self.options.root_path;
  sc.headers = ex.headers;
  sc.client = &self.options.client;
  sc.server = &self.server;
  sc.state = &self.state;
}

// The response the test sees once the app is done with the exchange.
test_response conclude(const test_client::impl& self, exchange& ex, const std::exception_ptr& failure) {
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const client_disconnected&) {
      if (!ex.disconnected) throw;  // only the disconnect the test asked for is expected
    } catch (...) {
      if (self.options.raise_app_exceptions || ex.started) throw;
      test_response error;
      error.status = 500;
      error.headers = {{"content-type", "text/plain; charset=utf-8"}};
      error.body = "Internal Server Error";
      return error;
    }
  }
  if (!ex.started) throw std::runtime_error("the app returned without starting a response");
  if (!ex.finished && !ex.disconnected) throw std::runtime_error("the app returned without finishing its response");
  frame_like_the_server(ex);
  return std::move(ex.response);
}

}  // namespace

test_response test_client::request(test_request req) {
  std::vector<test_request> one;
  one.push_back(std::move(req));
  return std::move(concurrently(std::move(one)).front());
}

std::vector<test_response> test_client::concurrently(std::vector<test_request> requests) {
  impl& self = *impl_;
  struct running {
    exchange ex;
    bool done = false;
    std::exception_ptr failure;
  };
  std::vector<std::unique_ptr<running>> all;
  for (auto& req : requests) {
    auto r = std::make_unique<running>();
    prepare(self, r->ex, std::move(req));
    all.push_back(std::move(r));
  }
  for (auto& r : all) {
    asio::co_spawn(self.loop, run_exchange(self.app, r->ex), [state = r.get()](std::exception_ptr error) {
      state->failure = error;
      state->done = true;
    });
  }
  self.run_until([&all] {
    for (const auto& r : all)
      if (!r->done) return false;
    return true;
  });
  std::vector<test_response> responses;
  for (auto& r : all) responses.push_back(conclude(self, r->ex, r->failure));
  return responses;
}

namespace {
test_request make(std::string method, std::string target, std::string body, header_pairs headers) {
  test_request req;
  req.method = std::move(method);
  req.target = std::move(target);
  req.body = std::move(body);
  req.headers = std::move(headers);
  return req;
}
}  // namespace

test_response test_client::get(std::string target, header_pairs headers) {
  return request(make("GET", std::move(target), {}, std::move(headers)));
}
test_response test_client::head(std::string target, header_pairs headers) {
  return request(make("HEAD", std::move(target), {}, std::move(headers)));
}
test_response test_client::options(std::string target, header_pairs headers) {
  return request(make("OPTIONS", std::move(target), {}, std::move(headers)));
}
test_response test_client::delete_(std::string target, header_pairs headers) {
  return request(make("DELETE", std::move(target), {}, std::move(headers)));
}
test_response test_client::post(std::string target, std::string body, header_pairs headers) {
  return request(make("POST", std::move(target), std::move(body), std::move(headers)));
}
test_response test_client::put(std::string target, std::string body, header_pairs headers) {
  return request(make("PUT", std::move(target), std::move(body), std::move(headers)));
}
test_response test_client::patch(std::string target, std::string body, header_pairs headers) {
  return request(make("PATCH", std::move(target), std::move(body), std::move(headers)));
}
test_response test_client::post_json(std::string target, const picojson::value& body, header_pairs headers) {
  headers.emplace_back("content-type", "application/json");
  return request(make("POST", std::move(target), to_json(body), std::move(headers)));
}

}  // namespace cogi
