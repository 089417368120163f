#pragma once
// What a route says about itself beyond its path and methods: the parameters its
// handler declares, its body, what it returns and with which status, and words for the
// API documentation. Built from the handler's signature when it is registered, added to
// through route_ref (router.hpp), and read by the handler at run time (its status) and
// by the OpenAPI generator.

#include <memory>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "cogi/framework/models/schema.hpp"
#include "cogi/framework/typed/params.hpp"

namespace cogi {

struct operation {
  struct parameter {
    param_source source;
    std::string_view name;
    bool required;
    models::schema_fn schema;  // of its value (an optional's: of what it holds)
  };
  std::vector<parameter> parameters;
  bool has_body = false;       // a body<T> parameter
  bool body_required = false;  // not a body<std::optional<T>>
  models::schema_fn body_schema = nullptr;
  std::string_view body_media_type = "application/json";
  models::schema_fn result_schema = nullptr;  // a task<T>'s T
  bool typed = false;          // built from a typed signature (not a plain request& handler)
  bool returns_value = false;  // a task<T> other than task<response> and task<void>

  // The status of a successful answer; 0 until set: 200, or 204 for task<void>.
  int status = 0;
  std::size_t body_limit = 1 << 20;  // request::default_body_limit

  std::string summary, description;
  std::vector<std::string> tags;
  bool deprecated = false;
  bool in_schema = true;

  int success_status() const { return status != 0 ? status : returns_value ? 200 : 204; }
};

// A new, empty operation: made out of line (operation.cpp), as every route makes one and
// its constructor and destructor are no use inlined there.
std::shared_ptr<operation> new_operation();

}  // namespace cogi
