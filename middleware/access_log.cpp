#include "cogi/middleware/access_log.hpp"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <exception>
#include <vector>

#include "cogi/server/contract/log.hpp"
#include "cogi/server/http/access_log_format.hpp"
#include "cogi/server/http/validation.hpp"

namespace cogi {
namespace {

struct access_logger {
  http::access_log_format format;
  std::function<void(std::string_view)> sink;
};

// What the response told us on its way out.
struct outcome {
  int status = 0;
  std::uint64_t bytes = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // only those the format names
};

void write_stdout(std::string_view line) {
  std::string buffer(line);
  buffer += '\n';
  log::write_lines(STDOUT_FILENO, buffer);  // lines from different loops never interleave
}

asio::awaitable<void> observe(const access_logger& logger, outcome& out, send_fn send, send_event event) {
  if (const auto* start = std::get_if<response_start>(&event)) {
    out.status = start->status;
    if (logger.format.wants_response_headers())
      for (const auto& h : start->headers)
        if (logger.format.wants_response_header(h.name)) out.headers.emplace_back(std::string(h.name), std::string(h.value));
  } else if (const auto* body = std::get_if<response_body>(&event)) {
    out.bytes += body->body.size();
  }
  co_await send(event);
}

asio::awaitable<void> logged(const access_logger& logger, const app_fn& next, scope& sc, receive_fn receive,
                             send_fn send) {
  if (sc.type != scope_type::http) co_return co_await next(sc, receive, send);
  const auto began = std::chrono::steady_clock::now();
  const std::time_t received = std::time(nullptr);
  outcome out;
  auto observed = [&](const send_event& event) { return observe(logger, out, send, event); };
  std::exception_ptr failure;
  try {
    co_await next(sc, receive, observed);
  } catch (...) {
    failure = std::current_exception();
    if (out.status == 0) out.status = 500;  // what the server answers for it
  }
  const http::access_record record{&sc, out.status, out.bytes, received, std::chrono::steady_clock::now() - began,
                                   out.headers};
  std::string line;
  logger.format.append(line, record);
  logger.sink(line);
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

app_wrapper_fn access_log(access_log_options options) {
  if (!options.enabled) return [](app_fn next) { return next; };
  std::optional<http::access_log_format> format;
  try {
    format.emplace(options.format);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(std::string("access_log: ") + error.what());
  }
  access_logger logger{std::move(*format), options.sink ? std::move(options.sink) : write_stdout};
  return contract_middleware(std::move(logger), logged);
}

}  // namespace cogi
