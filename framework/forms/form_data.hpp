#pragma once
// A request's form: application/x-www-form-urlencoded, or multipart/form-data read as it
// arrives (multipart_parser.hpp), text fields kept and files spooled (upload.hpp). A
// handler usually takes a cogi::form<T> parameter, which reads the form into a model;
// this is the form itself, for a plain handler:
//
//   const cogi::form_data form = co_await cogi::read_form_data(req);
//   std::optional<std::string_view> title = form.get("title");
//   const cogi::upload* picture = form.file("picture");
//
// Limits: the whole body (the route's body_limit, 1 MiB by default), parts, a text
// field's size, and how much of a file stays in memory before it is spooled. Past one:
// 413. A malformed body: 400 saying what is wrong. A body of another type: 415.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <asio/awaitable.hpp>

#include "cogi/framework/forms/upload.hpp"
#include "cogi/framework/request.hpp"
#include "cogi/server/contract/option_setters.hpp"

namespace cogi {

struct form_limits {
  std::size_t max_body_bytes = request::default_body_limit;
  std::size_t max_parts = 1000;                // Starlette's default
  std::size_t max_field_bytes = 1 << 20;       // one text field (Starlette's max_part_size)
  std::size_t memory_threshold = 64 * 1024;    // a file's bytes in memory before it is spooled

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(max_body_bytes, max_parts, max_field_bytes, memory_threshold)
};

class form_data {
 public:
  // The first value of a text field, or nullopt.
  std::optional<std::string_view> get(std::string_view name) const;
  std::vector<std::string_view> get_all(std::string_view name) const;
  // The first file sent under `name`, or null.
  const upload* file(std::string_view name) const;
  std::vector<upload> files(std::string_view name) const;
  // Whether `name` came as a file part (or as a text field).
  bool has_file(std::string_view name) const { return file(name) != nullptr; }

  std::vector<std::pair<std::string, std::string>> fields;  // in order, repeats kept
  std::vector<std::pair<std::string, upload>> uploads;
};

asio::awaitable<form_data> read_form_data(request& req, form_limits limits = {});

}  // namespace cogi
