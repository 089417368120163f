#include "cogi/server/http/validation.hpp"

#include <array>

namespace cogi::http {
namespace {

// Letters, digits and `extra`: the shape of both tables below.
constexpr std::array<bool, 256> alphanumeric_and(std::string_view extra) {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (char c : extra) table[static_cast<unsigned char>(c)] = true;
  return table;
}

constexpr auto token_table = alphanumeric_and("!#$%&'*+-.^_`|~");  // tchar

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return hex_value(c) >= 0; }

// unreserved / sub-delims (RFC 3986 §2.2, §2.3): the characters of a reg-name.
constexpr auto reg_name_table = alphanumeric_and("-._~!$&'()*+,;=");

// reg-name = *( unreserved / pct-encoded / sub-delims ) (RFC 3986 §3.2.2); this also
// covers dotted IPv4 addresses.
bool is_reg_name(std::string_view host) {
  for (std::size_t i = 0; i < host.size(); ++i) {
    const char c = host[i];
    if (c == '%') {
      if (i + 2 >= host.size() || !is_hex(host[i + 1]) || !is_hex(host[i + 2])) return false;
      i += 2;
    } else if (!reg_name_table[static_cast<unsigned char>(c)]) {
      return false;
    }
  }
  return true;
}

// IP-literal = "[" ( IPv6address / IPvFuture ) "]": checked for its alphabet only.
bool is_ip_literal(std::string_view inner) {
  if (inner.empty()) return false;
  for (char c : inner)
    if (!is_hex(c) && c != ':' && c != '.' && c != 'v' && c != 'V') return false;
  return true;
}

}  // namespace

bool is_token_char(unsigned char c) { return token_table[c]; }

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (unsigned char c : text)
    if (!token_table[c]) return false;
  return true;
}

bool is_valid_host(std::string_view value) {
  std::string_view host = value;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return false;
    if (!is_ip_literal(host.substr(1, close - 1))) return false;
    const auto rest = host.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
    }
  } else {
    const auto colon = host.rfind(':');
    if (colon != std::string_view::npos) {
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
    }
    // The grammar allows an empty uri-host (for targets without authority) but no
    // origin server has one: an empty Host is refused, as is a comma (a sub-delim in
    // reg-name, but the classic sign of two Host values folded into one).
    if (host.empty() || host.find(',') != std::string_view::npos || !is_reg_name(host)) return false;
  }
  if (port.size() > 5) return false;
  for (char c : port)
    if (!is_digit(c)) return false;
  return true;
}

}  // namespace cogi::http
