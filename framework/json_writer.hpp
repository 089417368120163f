#pragma once
// JSON text for a picojson::value, as picojson's own compact serialize() writes it (the
// same bytes: "\/" for '/', \u00XX for control characters and DEL, numbers as
// "%.f" / "%.17g"), at a fraction of the cost: picojson appends one character at a
// time through a back_insert_iterator, which on a small response costs more than
// parsing the request did. Strings here go out in runs between the characters that
// need escaping, and numbers through std::to_chars instead of snprintf.
//
//   std::string body;
//   cogi::append_json(body, value);

#include <cstdint>
#include <string>

#include <picojson.h>

namespace cogi {

// Appends the compact JSON text of `value` to `out`.
void append_json(std::string& out, const picojson::value& value);

// The compact JSON text of `value`: picojson's value.serialize(), faster.
std::string to_json(const picojson::value& value);

// The pieces, for writers that have no picojson::value to start from (typed models,
// see models/write.hpp; strings: append_json_string in server/contract/json_string.hpp):
// an integer; a double in the shortest form that reads back the same (JSON has no NaN
// or infinity: those are written as null).
void append_json_integer(std::string& out, std::int64_t number);
void append_json_unsigned(std::string& out, std::uint64_t number);
void append_json_double(std::string& out, double number);

}  // namespace cogi
