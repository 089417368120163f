#pragma once
// Typed JSON: plain structs described once with COGI_MODEL, read with every problem
// reported and written straight to text. The pieces live in framework/models/; this is
// what a handler or a test uses.
//
//   struct note_in {
//     std::string title;
//     std::vector<std::string> tags;
//     int priority = 3;
//   };
//   COGI_MODEL(note_in, (title, min_length(1)), tags, (priority, defaulted, ge(1), le(5)));
//
//   note_in in = cogi::from_json<note_in>(R"({"title": "Shop", "tags": []})");
//   std::string text = cogi::to_json(in);  // {"title":"Shop","tags":[],"priority":3}
//
// In a route, a cogi::body<note_in> parameter reads the request's body this way and
// answers 422 when it does not fit (see typed/params.hpp).

#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>

#include <picojson.h>

#include "cogi/framework/models/describe.hpp"
#include "cogi/framework/models/read.hpp"
#include "cogi/framework/models/validation_errors.hpp"
#include "cogi/framework/models/write.hpp"
#include "cogi/framework/response.hpp"

namespace cogi {

using models::request_validation_error;
using models::validation_error;
using models::validation_errors;

// A T read from a JSON document: throws validation_error listing every problem.
// (A template on the document's type, so that a string literal picks the text overload.)
template <class T, std::same_as<picojson::value> Document>
T from_json(const Document& document) {
  static_assert(models::supported_type<T>(), "cogi::from_json<T>: describe T with COGI_MODEL (see model.hpp)");
  T out{};
  validation_errors errors;
  models::read(document, out, models::location{}, errors);
  if (!errors.empty()) throw validation_error(std::move(errors));
  return out;
}

// A T read from JSON text (parsed strictly); malformed text is a validation_error too.
template <class T>
T from_json(std::string_view text) {
  static_assert(models::supported_type<T>(), "cogi::from_json<T>: describe T with COGI_MODEL (see model.hpp)");
  T out{};
  validation_errors errors;
  models::read_from_text(text, out, models::location{}, errors);
  if (!errors.empty()) throw validation_error(std::move(errors));
  return out;
}

// The compact JSON text of a model (or a vector, optional, ... of models).
template <class T>
  requires(models::supported_type<T>() && !std::is_same_v<T, picojson::value>)
void append_json(std::string& out, const T& value) {
  models::write(out, value);
}

template <class T>
  requires(models::supported_type<T>() && !std::is_same_v<T, picojson::value>)
std::string to_json(const T& value) {
  std::string out;
  out.reserve(256);
  models::write(out, value);
  return out;
}

// An application/json response with the model's text.
template <class T>
  requires(models::supported_type<T>() && !std::is_same_v<T, picojson::value>)
response json(const T& value, int status = 200) {
  return bytes(to_json(value), "application/json", status);
}

}  // namespace cogi
