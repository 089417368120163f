#include "cogi/clients/redis/options.hpp"

#include <charconv>
#include <stdexcept>

namespace cogi::redis {

namespace {

template <class Integer>
Integer parse_number(std::string_view text, std::string_view what) {
  Integer value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
    throw std::invalid_argument("bad " + std::string(what) + " '" + std::string(text) + "' in the Redis URL");
  }
  return value;
}

}  // namespace

options options::from_url(std::string_view url) {
  constexpr std::string_view scheme = "redis://";
  if (!url.starts_with(scheme)) throw std::invalid_argument("a Redis URL starts with redis:// (got '" + std::string(url) + "')");
  url.remove_prefix(scheme.size());
  options o;
  if (const auto at = url.rfind('@'); at != std::string_view::npos) {
    const std::string_view credentials = url.substr(0, at);
    url.remove_prefix(at + 1);
    if (const auto colon = credentials.find(':'); colon != std::string_view::npos) {
      o.username = credentials.substr(0, colon);
      o.password = credentials.substr(colon + 1);
    } else {
      o.password = credentials;
    }
  }
  if (const auto slash = url.find('/'); slash != std::string_view::npos) {
    const std::string_view db = url.substr(slash + 1);
    if (!db.empty()) o.database = parse_number<int>(db, "database");
    url = url.substr(0, slash);
  }
  if (url.starts_with('[')) {  // [IPv6]:port
    const auto close = url.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("unclosed [ in the Redis URL");
    o.host = url.substr(1, close - 1);
    url.remove_prefix(close + 1);
    if (url.starts_with(':')) o.port = parse_number<std::uint16_t>(url.substr(1), "port");
  } else if (const auto colon = url.rfind(':'); colon != std::string_view::npos) {
    o.host = url.substr(0, colon);
    o.port = parse_number<std::uint16_t>(url.substr(colon + 1), "port");
  } else if (!url.empty()) {
    o.host = url;
  }
  if (o.host.empty()) o.host = "127.0.0.1";
  return o;
}

}  // namespace cogi::redis
