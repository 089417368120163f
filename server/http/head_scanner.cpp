#include "cogi/server/http/head_scanner.hpp"

#include <cstring>
#include <string_view>

namespace cogi::http {
namespace {
// RFC 9112 §2.2 asks servers to ignore "at least one" empty line before a request;
// a few are tolerated, an endless stream of them is not.
constexpr std::size_t max_blank_prefix = 64;
}  // namespace

head_scanner::state head_scanner::reject(int status, std::string_view reason) {
  error_ = {status, reason};
  return state::rejected;
}

head_scanner::state head_scanner::scan(char* data, std::size_t size) {
  if (size > 0) saw_bytes_ = true;
  while (position_ < size) {
    auto* found = static_cast<char*>(std::memchr(data + position_, '\n', size - position_));
    const std::size_t scan_end = found ? static_cast<std::size_t>(found - data) : size;
    const std::size_t arrived_end = found ? scan_end + 1 : size;  // what has come of this line

    // Errors are reported in the order of the bytes that make them certain, so that a
    // head gets the same answer however its bytes arrive (in one read or byte by byte):
    // a bare CR (RFC 9112 §2.2) before the size limit is crossed is a 400, a line
    // crossing the limit first is a 414 (request line) or 431 (fields).
    const std::size_t first_byte_over = prefix_ + (in_request_line_ ? request_line_limit() : limits_->max_header_bytes);
    const void* cr = std::memchr(data + position_, '\r', scan_end - position_);
    const bool bare_cr = cr && static_cast<const char*>(cr) + 1 != data + scan_end;
    if (bare_cr && static_cast<std::size_t>(static_cast<const char*>(cr) - data) < first_byte_over)
      return reject(400, "Bare CR in request head");
    if (arrived_end > first_byte_over) {
      if (in_request_line_) return reject(414, "Request-URI Too Long");
      return reject(431, "Request Header Fields Too Large");
    }
    if (!found) {
      // Re-examine a trailing CR next time: it must be followed by LF.
      position_ = data[size - 1] == '\r' ? size - 1 : size;
      return state::incomplete;
    }
    const std::size_t lf = scan_end;
    if (lf == line_start_ || data[lf - 1] != '\r') return reject(400, "Bare LF in request head");
    const std::size_t line_length = lf - 1 - line_start_;  // without CRLF
    position_ = lf + 1;

    if (in_request_line_) {
      if (line_length == 0) {  // blank line before the request line: skip it
        if (position_ > max_blank_prefix) return reject(400, "Too many blank lines");
        prefix_ = line_start_ = position_;
        continue;
      }
      if (auto result = check_request_line(data + line_start_, line_length);
          result != state::complete)
        return result;
      in_request_line_ = false;
    } else if (line_length == 0) {
      head_end_ = position_;
      return state::complete;
    } else {
      const char first = data[line_start_];
      if (first == ' ' || first == '\t') return reject(400, "Obsolete line folding or leading whitespace");
      if (++fields_ > limits_->max_header_count) return reject(431, "Too many header fields");
    }
    line_start_ = position_;
  }
  return state::incomplete;
}

head_scanner::state head_scanner::check_request_line(char* line, std::size_t length) {
  const std::string_view text(line, length);
  const auto first_space = text.find(' ');
  const auto last_space = text.rfind(' ');
  // method SP request-target SP HTTP-version: exactly two spaces (llhttp 8.1 would
  // skip extra ones; RFC 9112 §3 asks not to autocorrect a request line).
  if (first_space == std::string_view::npos || text.find(' ', first_space + 1) != last_space)
    return reject(400, "Malformed request line");
  // The one place the request-target limit is checked (request_line_limit() only bounds
  // what is buffered while the line is incomplete).
  if (last_space - first_space - 1 > limits_->max_target_bytes)
    return reject(414, "Request-URI Too Long");
  // HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3)
  const std::string_view version = text.substr(last_space + 1);
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (version.size() != 8 || !version.starts_with("HTTP/") || !is_digit(version[5]) ||
      version[6] != '.' || !is_digit(version[7]))
    return reject(400, "Malformed HTTP version");
  if (version[5] != '1') return reject(505, "HTTP Version Not Supported");
  // HTTP/1.x, x > 1: served as HTTP/1.1 (RFC 9110 §6.2); llhttp only knows 1.0 and 1.1.
  if (version[7] > '1') line[length - 1] = '1';
  return state::complete;
}

}  // namespace cogi::http
