#include "cogi/framework/typed/read_params.hpp"

namespace cogi::detail {

std::optional<std::string_view> find_param(request& req, param_source source, std::string_view name) {
  switch (source) {
    case param_source::path:
      if (!req.path_params().contains(name)) return std::nullopt;
      return req.path_params().get(name);
    case param_source::query: return req.query().get(name);
    case param_source::header:
      if (!req.has_header(name)) return std::nullopt;
      return req.header(name);
    case param_source::cookie: return req.cookie(name);
  }
  return std::nullopt;
}

std::vector<std::string_view> find_all(request& req, param_source source, std::string_view name) {
  if (source == param_source::header) return req.header_values(name);
  return req.query().get_all(name);
}

void add_missing(validation_errors& errors, const models::location& where) {
  errors.add(where, "missing", "Field required");
}

void add_parameter(operation& op, param_source source, std::string_view name, bool required,
                   models::schema_fn schema) {
  // A parameter two dependencies both read is one parameter of the operation.
  for (auto& p : op.parameters) {
    if (p.source == source && p.name == name) {
      p.required = p.required || required;
      return;
    }
  }
  op.parameters.push_back({source, name, required, schema});
}

}  // namespace cogi::detail
