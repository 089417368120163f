#pragma once
// Character-level rules of RFC 9110/9112 that llhttp 8.1 does not enforce itself.

#include <string_view>

namespace cogi::http {

// ASCII lower-casing, independent of the C locale.
constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c; }

// The value of a hex digit, or -1.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// ASCII case-insensitive equality (header names, tokens like "close" or "100-continue").
constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// `text` without the optional whitespace (OWS: spaces and tabs, RFC 9110 §5.6.3) around
// it, as list elements and parameters in field values are read.
constexpr std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Calls each(element) for every non-empty element of a comma-separated list (RFC 9110
// §5.6.1), trimmed of OWS; empty elements ("a, , b") are skipped, as the RFC allows.
// Stops early when each() returns false.
template <class Each>
constexpr void for_each_list_element(std::string_view list, Each&& each) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view element = trim_ows(list.substr(0, comma));
    if (!element.empty() && !each(element)) return;
    if (comma == std::string_view::npos) return;
    list.remove_prefix(comma + 1);
  }
}

// Whether a comma-separated list holds `token`, compared without regard to case
// (Connection: keep-alive, Upgrade).
constexpr bool list_has_token(std::string_view list, std::string_view token) {
  bool found = false;
  for_each_list_element(list, [&](std::string_view element) { return !(found = iequals(element, token)); });
  return found;
}

// A value may hold any field-value byte but CR, LF and NUL, which would let an app
// inject headers or split the response (RFC 9110 §5.5).
constexpr bool is_safe_field_value(std::string_view value) {
  for (char c : value)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return true;
}

// tchar (RFC 9110 §5.6.2): the characters of a token (method, field name).
bool is_token_char(unsigned char c);
// A non-empty token.
bool is_token(std::string_view text);
// A Host field value: uri-host [ ":" port ] (RFC 9110 §7.2), where uri-host is a
// non-empty reg-name without commas, an IPv4 address or a bracketed IP literal.
bool is_valid_host(std::string_view value);

}  // namespace cogi::http
