#include "middleware/access_log.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <stdexcept>
#include <vector>

#include "server/http/http_date.hpp"
#include "server/http/validation.hpp"

namespace cogi {
namespace {

enum class field { literal, client, dash, time, request_line, status, bytes_or_dash, bytes, micros, seconds,
                   method, path, query, protocol, request_header, response_header };

struct directive {
  field what;
  std::string text;  // the literal, or the header name
};

std::vector<directive> compile(std::string_view format) {
  std::vector<directive> out;
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) out.push_back({field::literal, std::move(literal)});
    literal.clear();
  };
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      literal += format[i];
      continue;
    }
    if (++i == format.size()) throw std::invalid_argument("access_log: format ends with '%'");
    if (format[i] == '%') {
      literal += '%';
      continue;
    }
    flush();
    if (format[i] == '>') ++i;  // %>s: the final status, the only one there is here
    if (format[i] == '{') {
      const auto close = format.find('}', i);
      if (close == std::string_view::npos || close + 1 >= format.size())
        throw std::invalid_argument("access_log: unterminated %{...}");
      const std::string name(format.substr(i + 1, close - i - 1));
      i = close + 1;
      if (format[i] == 'i') {
        out.push_back({field::request_header, name});
      } else if (format[i] == 'o') {
        out.push_back({field::response_header, name});
      } else {
        throw std::invalid_argument("access_log: %{...} must end in i or o");
      }
      continue;
    }
    switch (format[i]) {
      case 'h': out.push_back({field::client, {}}); break;
      case 'l': case 'u': out.push_back({field::dash, {}}); break;
      case 't': out.push_back({field::time, {}}); break;
      case 'r': out.push_back({field::request_line, {}}); break;
      case 's': out.push_back({field::status, {}}); break;
      case 'b': out.push_back({field::bytes_or_dash, {}}); break;
      case 'B': out.push_back({field::bytes, {}}); break;
      case 'D': out.push_back({field::micros, {}}); break;
      case 'T': out.push_back({field::seconds, {}}); break;
      case 'm': out.push_back({field::method, {}}); break;
      case 'U': out.push_back({field::path, {}}); break;
      case 'q': out.push_back({field::query, {}}); break;
      case 'H': out.push_back({field::protocol, {}}); break;
      default: throw std::invalid_argument(std::string("access_log: unknown directive %") + format[i]);
    }
  }
  flush();
  return out;
}

struct access_logger {
  std::vector<directive> directives;
  std::function<void(std::string_view)> sink;
  bool wants_response_headers = false;
};

// What the response told us on its way out.
struct outcome {
  std::time_t received = 0;  // %t is when the request came in, as Apache logs it
  int status = 0;
  std::uint64_t bytes = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // only those the format names
};

// Header values are client-controlled: escape what would break the line (Apache does too).
void append_escaped(std::string& out, std::string_view value) {
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u >= 0x7f) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      out += hex;
    } else {
      out += c;
    }
  }
}

std::string format_line(const access_logger& logger, const scope& sc, const outcome& out, std::chrono::nanoseconds took) {
  std::string line;
  for (const auto& d : logger.directives) {
    switch (d.what) {
      case field::literal: line += d.text; break;
      case field::client: line += sc.client ? sc.client->host : "-"; break;
      case field::dash: line += '-'; break;
      case field::time: line += http::format_common_log_date(out.received); break;
      case field::request_line:
        append_escaped(line, sc.method);
        line += ' ';
        append_escaped(line, sc.raw_path);
        if (!sc.query_string.empty()) {
          line += '?';
          append_escaped(line, sc.query_string);
        }
        line += " HTTP/";
        line += sc.http_version;
        break;
      case field::status: line += std::to_string(out.status); break;
      case field::bytes_or_dash: line += out.bytes ? std::to_string(out.bytes) : "-"; break;
      case field::bytes: line += std::to_string(out.bytes); break;
      case field::micros: line += std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(took).count()); break;
      case field::seconds: line += std::to_string(std::chrono::duration_cast<std::chrono::seconds>(took).count()); break;
      case field::method: append_escaped(line, sc.method); break;
      case field::path: append_escaped(line, sc.raw_path); break;
      case field::query:
        if (!sc.query_string.empty()) {
          line += '?';
          append_escaped(line, sc.query_string);
        }
        break;
      case field::protocol: line += "HTTP/"; line += sc.http_version; break;
      case field::request_header: {
        std::string_view value;
        for (const auto& h : sc.headers)
          if (http::iequals(h.name, d.text)) {
            value = h.value;
            break;
          }
        if (value.empty()) {
          line += '-';
        } else {
          append_escaped(line, value);
        }
        break;
      }
      case field::response_header: {
        std::string_view value;
        for (const auto& [name, v] : out.headers)
          if (http::iequals(name, d.text)) value = v;
        if (value.empty()) {
          line += '-';
        } else {
          append_escaped(line, value);
        }
        break;
      }
    }
  }
  return line;
}

void write_stdout(std::string_view line) {
  std::string buffer(line);
  buffer += '\n';
  // One write per line: lines from different loops never interleave.
  std::size_t done = 0;
  while (done < buffer.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, buffer.data() + done, buffer.size() - done);
    if (n <= 0) return;  // nowhere to log to: never fail the request for it
    done += static_cast<std::size_t>(n);
  }
}

asio::awaitable<void> observe(const access_logger& logger, outcome& out, send_fn send, send_event event) {
  if (const auto* start = std::get_if<response_start>(&event)) {
    out.status = start->status;
    if (logger.wants_response_headers)
      for (const auto& h : start->headers)
        for (const auto& d : logger.directives)
          if (d.what == field::response_header && http::iequals(h.name, d.text))
            out.headers.emplace_back(std::string(h.name), std::string(h.value));
  } else if (const auto* body = std::get_if<response_body>(&event)) {
    out.bytes += body->body.size();
  }
  co_await send(event);
}

asio::awaitable<void> logged(const access_logger& logger, const app_fn& next, scope& sc, receive_fn receive,
                             send_fn send) {
  if (sc.type != scope_type::http) co_return co_await next(sc, receive, send);
  const auto began = std::chrono::steady_clock::now();
  outcome out;
  out.received = std::time(nullptr);
  auto observed = [&](const send_event& event) { return observe(logger, out, send, event); };
  std::exception_ptr failure;
  try {
    co_await next(sc, receive, observed);
  } catch (...) {
    failure = std::current_exception();
    if (out.status == 0) out.status = 500;  // what the server answers for it
  }
  logger.sink(format_line(logger, sc, out, std::chrono::steady_clock::now() - began));
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

app_wrapper_fn access_log(access_log_options options) {
  if (!options.enabled) return [](app_fn next) { return next; };
  access_logger logger{compile(options.format), options.sink ? std::move(options.sink) : write_stdout};
  for (const auto& d : logger.directives) logger.wants_response_headers |= d.what == field::response_header;
  return contract_middleware(std::move(logger), logged);
}

}  // namespace cogi
