#include "cogi/framework/detail/test_wire.hpp"

#include <charconv>
#include <stdexcept>

#include "cogi/server/http/validation.hpp"

namespace cogi::detail {
namespace {

bool has_field(const header_pairs& headers, std::string_view name) {
  for (const auto& [n, v] : headers)
    if (http::iequals(n, name)) return true;
  return false;
}

std::string hex(std::size_t value) {
  char digits[20];
  return std::string(digits, std::to_chars(digits, digits + sizeof digits, value, 16).ptr);
}

// Takes one CRLF-terminated line off the front of `bytes`; false if there is none.
bool take_line(std::string_view& bytes, std::string_view& line) {
  const auto end = bytes.find("\r\n");
  if (end == std::string_view::npos) return false;
  line = bytes.substr(0, end);
  bytes.remove_prefix(end + 2);
  return true;
}

std::size_t parse_number(std::string_view text, int base) {
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc{} || end != text.data() + text.size()) throw std::runtime_error("malformed number in response");
  return value;
}

// The chunked body at the front of `bytes`, as far as it arrived; whether it ended.
bool read_chunked(std::string_view bytes, std::string& body) {
  std::string_view line;
  while (take_line(bytes, line)) {
    const std::size_t size = parse_number(line.substr(0, line.find(';')), 16);
    if (size == 0) return bytes.starts_with("\r\n");
    body.append(bytes.substr(0, size));
    if (bytes.size() < size + 2) return false;
    bytes.remove_prefix(size + 2);
  }
  return false;
}

}  // namespace

wire_request write_request(const test_request& request, std::string_view host) {
  wire_request wire;
  std::string& head = wire.head;
  head.append(request.method).append(" ").append(request.target).append(" HTTP/1.1\r\n");
  if (!has_field(request.headers, "host")) head.append("host: ").append(host).append("\r\n");
  for (const auto& [name, value] : request.headers) head.append(name).append(": ").append(value).append("\r\n");
  const bool framed_by_test = has_field(request.headers, "content-length") || has_field(request.headers, "transfer-encoding");
  if (framed_by_test) {
    if (!request.body.empty()) wire.body.push_back(request.body);
    for (const auto& chunk : request.body_chunks) wire.body.push_back(chunk);
  } else if (!request.body_chunks.empty()) {
    head.append("transfer-encoding: chunked\r\n");
    for (const auto& chunk : request.body_chunks)
      if (!chunk.empty()) wire.body.push_back(hex(chunk.size()) + "\r\n" + chunk + "\r\n");
    wire.body.push_back("0\r\n\r\n");
  } else if (!request.body.empty()) {
    head.append("content-length: ").append(std::to_string(request.body.size())).append("\r\n");
    wire.body.push_back(request.body);
  }
  head.append("\r\n");
  return wire;
}

test_response read_response(std::string_view bytes, bool head_request) {
  for (;;) {
    test_response response;
    std::string_view line;
    if (!take_line(bytes, line) || !line.starts_with("HTTP/1.1 ") || line.size() < 12)
      throw std::runtime_error("malformed response status line");
    response.status = static_cast<int>(parse_number(line.substr(9, 3), 10));
    while (take_line(bytes, line) && !line.empty()) {
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) throw std::runtime_error("malformed response header");
      response.headers.emplace_back(line.substr(0, colon), http::trim_ows(line.substr(colon + 1)));
    }
    if (response.status < 200) continue;  // an interim response: the final one follows
    if (head_request || response.status == 204 || response.status == 304) return response;
    if (http::iequals(response.header("transfer-encoding"), "chunked")) {
      response.complete = read_chunked(bytes, response.body);
    } else if (const auto length = response.header("content-length"); !length.empty()) {
      const std::size_t size = parse_number(length, 10);
      response.body = std::string(bytes.substr(0, size));
      response.complete = bytes.size() >= size;
    } else {
      response.body = std::string(bytes);  // delimited by the connection closing
    }
    return response;
  }
}

}  // namespace cogi::detail
