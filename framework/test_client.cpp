#include "cogi/framework/test_client.hpp"

#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <variant>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include "cogi/framework/detail/test_client_impl.hpp"
#include "cogi/framework/detail/test_wire.hpp"
#include "cogi/framework/json_reader.hpp"
#include "cogi/framework/json_writer.hpp"
#include "cogi/server/async/event.hpp"
#include "cogi/server/contract/errors.hpp"
#include "cogi/server/http/exchange.hpp"
#include "cogi/server/http/head_scanner.hpp"
#include "cogi/server/http/request_parser.hpp"
#include "cogi/server/http/validation.hpp"

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

// One request on its way through the server side of the contract: its bytes, the
// exchange, and what the "client" received.
struct request_run {
  detail::wire_request wire;
  std::size_t next_piece = 0;
  std::string in;           // body bytes received; those from in_begin not yet consumed
  std::size_t in_begin = 0;
  http::head_scanner scanner;
  http::request_parser parser;
  http::request_head head;
  http::exchange exchange;
  std::string out;          // the response bytes the client got
  std::vector<std::string> chunks;  // the app's non-empty body events
  std::size_t body_events = 0;
  std::size_t leave_after = 0;      // test_request::disconnect_after_body_events
  bool left = false;                // the client left as the test asked
  async::event response_done;       // or the client left: ends await_completion

  explicit request_run(const http::limits& limits) : scanner(limits), parser(limits) {}

  // The request head through the server's scanner and parser; a rejection if refused.
  std::optional<http::rejection> parse_head() {
    auto state = scanner.scan(wire.head.data(), wire.head.size());
    if (state == http::head_scanner::state::rejected) return scanner.error();
    if (state != http::head_scanner::state::complete || scanner.head_length() != wire.head.size() - scanner.prefix_length())
      return http::rejection{400, "Malformed request head"};
    return parser.parse(wire.head.data() + scanner.prefix_length(), scanner.head_length(), head);
  }

  void client_leaves() {
    left = true;
    exchange.client_gone();
    response_done.set();
  }
};

asio::awaitable<receive_event> receive_from(request_run& run) {
  using action = http::exchange::receive_action;
  // The body last delivered was a view into `in`: valid until this call, so consumed
  // bytes are dropped only now.
  run.in.erase(0, run.in_begin);
  run.in_begin = 0;
  for (;;) {
    const auto step = run.exchange.next_receive(std::string_view(run.in).substr(run.in_begin));
    run.in_begin += step.consumed;
    switch (step.action) {
      case action::deliver:
        co_return step.event;
      case action::send_continue:
        run.out.append(http::continue_response);
        break;
      case action::read_more:
        // The client sends its next piece; with none left, it has gone.
        if (run.next_piece < run.wire.body.size()) {
          run.in.append(run.wire.body[run.next_piece++]);
        } else {
          run.exchange.client_gone();
        }
        break;
      case action::await_completion:
        co_await run.response_done.wait();
        co_return http::exchange::disconnect_event();
    }
  }
}

asio::awaitable<void> send_to(request_run& run, const send_event& event) {
  const auto piece = run.exchange.send(event, run.out, false);
  const auto* body = std::get_if<response_body>(&event);
  if (body == nullptr) co_return;
  run.out.append(piece.data).append(piece.suffix);
  ++run.body_events;
  if (!body->body.empty()) run.chunks.emplace_back(body->body);
  if (!body->more_body) {
    run.response_done.set();
  } else if (run.leave_after != 0 && run.body_events >= run.leave_after) {
    run.client_leaves();
  }
}

asio::awaitable<void> serve(const app_fn& app, request_run& run) {
  auto receive = [&run]() { return receive_from(run); };
  auto send = [&run](const send_event& event) { return send_to(run, event); };
  co_await app(run.exchange.scope(), receive, send);
}

// What the test sees once the app is done with the request: the server's response,
// read back from its bytes, or the app's failure raised.
test_response conclude(const test_client_options& options, request_run& run, const std::exception_ptr& failure) {
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const client_disconnected&) {
      // Expected once the exchange told the app it was over (the client left as the
      // test asked, or the body was refused); otherwise the app's own doing.
      if (!run.exchange.disconnected()) throw;
    } catch (...) {
      if (options.raise_app_exceptions) throw;
    }
  }
  const bool head_request = run.head.method == "HEAD";
  switch (run.exchange.conclude(run.out, false)) {
    case http::exchange::ending::reject:
      http::append_rejection(run.out, run.exchange.rejection_to_send());
      break;
    case http::exchange::ending::answered:
      if (!failure && options.raise_app_exceptions) throw std::runtime_error("the app returned without starting a response");
      break;
    case http::exchange::ending::cut_off:
      if (!run.left && !failure && options.raise_app_exceptions)
        throw std::runtime_error("the app returned without finishing its response");
      break;
    case http::exchange::ending::complete:
      break;
  }
  test_response response = detail::read_response(run.out, head_request);
  if (run.left) response.complete = false;
  response.chunks = std::move(run.chunks);
  if (head_request) response.chunks.clear();
  return response;
}

}  // namespace

test_client::test_client(app_fn app, test_client_options options)
    : impl_(std::make_unique<impl>(std::move(app), std::move(options))) {
  impl& self = *impl_;
  std::optional<std::string> failure;
  bool answered = false;
  asio::co_spawn(self.loop, self.lifespan.startup(self.app),
                 [&](std::exception_ptr, std::optional<std::string> result) {
                   failure = std::move(result);
                   answered = true;
                 });
  self.run_until([&answered] { return answered; });
  if (failure) {
    self.shut_down();
    throw std::runtime_error("lifespan startup failed: " + *failure);
  }
}

test_client::~test_client() { impl_->shut_down(); }

state_map& test_client::state() { return impl_->state; }

test_response test_client::request(test_request req) {
  std::vector<test_request> one;
  one.push_back(std::move(req));
  return std::move(concurrently(std::move(one)).front());
}

std::vector<test_response> test_client::concurrently(std::vector<test_request> requests) {
  impl& self = *impl_;
  struct running {
    explicit running(const http::limits& limits) : run(limits) {}
    request_run run;
    std::optional<test_response> refused;  // the server's answer to a request it refused
    bool done = false;
    std::exception_ptr failure;
  };
  std::vector<std::unique_ptr<running>> all;
  for (auto& req : requests) {
    auto r = std::make_unique<running>(self.options.limits);
    r->run.wire = detail::write_request(req, self.server.host);
    r->run.leave_after = req.disconnect_after_body_events;
    if (const auto rejection = r->run.parse_head()) {
      std::string bytes;
      http::append_rejection(bytes, *rejection);
      r->refused = detail::read_response(bytes, false);
      r->done = true;
    } else {
      r->run.exchange.begin(r->run.head, self.site, true);
    }
    all.push_back(std::move(r));
  }
  for (auto& r : all) {
    if (r->done) continue;
    asio::co_spawn(self.loop, serve(self.app, r->run), [state = r.get()](std::exception_ptr error) {
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
  for (auto& r : all)
    responses.push_back(r->refused ? std::move(*r->refused) : conclude(self.options, r->run, r->failure));
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
