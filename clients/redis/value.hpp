#pragma once
// A RESP3 value: what Redis answers (https://github.com/redis/redis-specifications,
// docs/redis.md). One type for every reply: a kind, and the field that kind uses.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cogi::redis {

enum class kind : unsigned char {
  null,             // _  (and RESP2's $-1 / *-1)
  simple_string,    // +
  simple_error,     // -
  integer,          // :
  double_number,    // ,
  boolean,          // #
  blob_string,      // $
  blob_error,       // !
  verbatim_string,  // =  (text holds the string without its "txt:" format)
  big_number,       // (  (text holds the digits)
  array,            // *
  map,              // %  (elements: key, value, key, value, ...)
  set,              // ~
  push,             // >  (out-of-band: pub/sub messages, invalidations)
};

struct value {
  redis::kind kind = redis::kind::null;
  std::string text;              // strings, errors, big numbers
  std::int64_t integer = 0;      // integer
  double number = 0;             // double
  bool boolean = false;          // boolean
  std::vector<value> elements;   // array, map, set, push

  bool is_null() const { return kind == redis::kind::null; }
  bool is_error() const { return kind == redis::kind::simple_error || kind == redis::kind::blob_error; }
  bool is_string() const {
    return kind == redis::kind::simple_string || kind == redis::kind::blob_string ||
           kind == redis::kind::verbatim_string;
  }
  bool is_aggregate() const {
    return kind == redis::kind::array || kind == redis::kind::map || kind == redis::kind::set ||
           kind == redis::kind::push;
  }
  // For maps: the value of the key equal to `key`, or nullptr.
  const value* find(std::string_view key) const;
  // A readable rendering, for messages and tests: "OK", 42, ["a", nil], {"k": 1}.
  std::string describe() const;
};

}  // namespace cogi::redis
