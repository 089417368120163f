#include "cogi/clients/http/request_writer.hpp"

#include <cstdio>
#include <optional>

#include "cogi/clients/http/errors.hpp"
#include "cogi/clients/http/response_head.hpp"
#include "cogi/clients/http/token.hpp"

namespace cogi::fetch {
namespace {

void check_field(const field& f) {
  if (!is_token(f.name)) throw error("invalid header field name: \"" + std::string(f.name) + "\"");
  for (const char c : f.value) {
    if (c == '\r' || c == '\n' || c == '\0')
      throw error("invalid header field value for " + std::string(f.name) + " (CR, LF or NUL)");
  }
}

bool is_any_of(std::string_view name, std::initializer_list<std::string_view> names) {
  for (const std::string_view n : names) {
    if (equals_ignoring_case(name, n)) return true;
  }
  return false;
}

bool caller_sets(std::span<const field> headers, std::string_view name) {
  for (const field& f : headers) {
    if (equals_ignoring_case(f.name, name)) return true;
  }
  return false;
}

std::optional<std::string_view> content_type_of(const body& content) {
  switch (content.what) {
    case body::kind::bytes:
    case body::kind::stream:
      return content.content_type;
    case body::kind::json_value:
    case body::kind::json_text:
      return std::string_view("application/json");
    case body::kind::form:
      return std::string_view("application/x-www-form-urlencoded");
    case body::kind::none:
      break;
  }
  return std::nullopt;
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

// Methods whose requests have a body by meaning: without one they say so (Content-Length: 0).
bool expects_body(std::string_view method) { return method == "POST" || method == "PUT" || method == "PATCH"; }

}  // namespace

void check_method(std::string_view method) {
  if (!is_token(method)) throw error("invalid request method: \"" + std::string(method) + "\"");
}

std::string write_request_head(std::string_view method, const url& where, const body& content,
                               std::span<const field> headers, const client_options& defaults, bool same_origin) {
  for (const field& f : headers) check_field(f);
  std::string out;
  out.reserve(256);
  out.append(method);
  out.push_back(' ');
  out.append(where.target);
  out.append(" HTTP/1.1\r\n");
  append_field(out, "Host", where.authority());
  if (!caller_sets(headers, "User-Agent")) append_field(out, "User-Agent", defaults.user_agent);
  if (!caller_sets(headers, "Accept")) append_field(out, "Accept", "*/*");
  if (defaults.decompress && !caller_sets(headers, "Accept-Encoding")) append_field(out, "Accept-Encoding", "gzip, deflate");
  for (const field& f : headers) {
    if (is_any_of(f.name, {"Host", "Content-Length", "Transfer-Encoding", "Connection"})) continue;
    if (!same_origin && is_any_of(f.name, {"Authorization", "Cookie", "Proxy-Authorization"})) continue;
    append_field(out, f.name, f.value);
  }
  const auto type = content_type_of(content);
  if (type && !caller_sets(headers, "Content-Type")) append_field(out, "Content-Type", *type);
  if (content.what == body::kind::stream) {
    append_field(out, "Transfer-Encoding", "chunked");
  } else if (content.what != body::kind::none || expects_body(method)) {
    // The length of what serialise_body() makes, without making it twice.
    std::size_t length = 0;
    switch (content.what) {
      case body::kind::bytes:
      case body::kind::json_text:
        length = content.data.size();
        break;
      case body::kind::json_value:
        length = content.json_value->serialize().size();
        break;
      case body::kind::form:
        length = form_urlencode(content.form_fields).size();
        break;
      default:
        break;
    }
    append_field(out, "Content-Length", std::to_string(length));
  }
  out.append("\r\n");
  return out;
}

std::string serialise_body(const body& content) {
  switch (content.what) {
    case body::kind::bytes:
    case body::kind::json_text:
      return std::string(content.data);
    case body::kind::json_value:
      return content.json_value->serialize();
    case body::kind::form:
      return form_urlencode(content.form_fields);
    default:
      return {};
  }
}

std::string form_urlencode(std::span<const field> fields) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  auto encode = [&out](std::string_view text) {
    for (const char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '*' || c == '-' ||
          c == '.' || c == '_') {
        out.push_back(c);
      } else if (c == ' ') {
        out.push_back('+');
      } else {
        out.push_back('%');
        out.push_back(hex[byte >> 4]);
        out.push_back(hex[byte & 15]);
      }
    }
  };
  for (const field& f : fields) {
    if (!out.empty()) out.push_back('&');
    encode(f.name);
    out.push_back('=');
    encode(f.value);
  }
  return out;
}

asio::awaitable<void> write_chunked_body(connection& conn, const body_source& source, const deadlines& limits) {
  for (;;) {
    std::optional<std::string> piece = co_await source();
    if (!piece) break;
    if (piece->empty()) continue;  // an empty chunk would end the body
    char size_line[32];
    const int n = std::snprintf(size_line, sizeof(size_line), "%zx\r\n", piece->size());
    std::string chunk(size_line, static_cast<std::size_t>(n));
    chunk += *piece;
    chunk += "\r\n";
    co_await conn.write(chunk, limits);
  }
  const std::string_view last_chunk = "0\r\n\r\n";
  co_await conn.write(last_chunk, limits);
}

}  // namespace cogi::fetch
