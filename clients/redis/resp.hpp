#pragma once
// RESP3, the Redis protocol: commands out (arrays of blob strings) and replies in,
// parsed incrementally as bytes arrive, whatever the split.

#include <charconv>
#include <concepts>
#include <cstddef>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "cogi/clients/redis/value.hpp"

namespace cogi::redis {

// The server sent bytes that are not RESP3 (or a form this client does not read: streamed
// strings and aggregates): the connection cannot go on.
class protocol_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- commands ----

// What a command argument may be: text, or a number (sent as its decimal text).
template <class T>
concept argument = std::convertible_to<const T&, std::string_view> ||
                   (std::is_arithmetic_v<std::remove_cvref_t<T>> && !std::is_same_v<std::remove_cvref_t<T>, bool>);

namespace detail {
void append_blob(std::string& out, std::string_view bytes);
void append_count(std::string& out, char type, std::size_t count);

template <class T>
void append_argument(std::string& out, const T& arg) {
  if constexpr (std::convertible_to<const T&, std::string_view>) {
    append_blob(out, std::string_view(arg));
  } else {
    char digits[32];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, arg);
    append_blob(out, std::string_view(digits, static_cast<std::size_t>(end - digits)));
  }
}
}  // namespace detail

// Appends one command ("SET", "k", "v", "EX", 10) in RESP's request form.
template <argument... Args>
void append_command(std::string& out, const Args&... args) {
  detail::append_count(out, '*', sizeof...(Args));
  (detail::append_argument(out, args), ...);
}

// A command whose arguments are only known at run time (MGET of N keys).
void append_command(std::string& out, const std::vector<std::string>& args);

// ---- replies ----

// Reads replies from bytes fed to it in any split; a reply split across reads is resumed
// where it stopped, never parsed again from its start.
class parser {
 public:
  // Adds bytes read from the connection.
  void feed(std::string_view bytes);
  // The next complete reply, or nothing until more bytes come. Throws protocol_error.
  std::optional<value> next();
  // Bytes held and not yet part of a complete reply.
  std::size_t buffered() const { return buffer_.size() - position_; }

 private:
  struct frame {
    value aggregate;
    std::size_t remaining;
    bool attribute;  // |: metadata before a reply, dropped
  };
  // Completes `v`: into the aggregate being read, or as the next reply.
  void finish(value v);
  bool read_line(std::string_view& line);

  std::string buffer_;
  std::size_t position_ = 0;
  std::vector<frame> open_;       // aggregates being read, outermost first
  std::deque<value> complete_;
  // A blob whose header line was read: its type and length, waiting for its bytes.
  std::optional<std::pair<char, std::size_t>> pending_blob_;
};

}  // namespace cogi::redis
