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

#include <string>

#include <picojson.h>

namespace cogi {

// Appends the compact JSON text of `value` to `out`.
void append_json(std::string& out, const picojson::value& value);

// The compact JSON text of `value`: picojson's value.serialize(), faster.
std::string to_json(const picojson::value& value);

}  // namespace cogi
