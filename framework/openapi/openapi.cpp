#include "cogi/framework/openapi/openapi.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>
#include <vector>

#include "cogi/framework/html.hpp"
#include "cogi/framework/router.hpp"
#include "cogi/server/contract/json_string.hpp"

namespace cogi {
namespace {

using models::schema_registry;

// The methods OpenAPI has a field for, in its order; HEAD is implied by GET in cogi.
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> documented_methods = {{
    {"GET", "get"}, {"PUT", "put"}, {"POST", "post"}, {"DELETE", "delete"},
    {"OPTIONS", "options"}, {"PATCH", "patch"}, {"TRACE", "trace"},
}};

// "/items/{id:int}" -> "/items/{id}": OpenAPI's templates carry no types.
std::string openapi_path_of(const path_pattern& pattern) {
  std::string out;
  for (const auto& segment : pattern.segments()) {
    out.push_back('/');
    if (segment.is_param) {
      out.append("{").append(segment.name).append("}");
    } else {
      out.append(segment.literal);
    }
  }
  return out.empty() ? "/" : out;
}

// The schema a pattern's own type gives a path parameter no typed parameter describes.
std::string_view pattern_schema(param_type type) {
  switch (type) {
    case param_type::int_: return R"({"type":"integer","minimum":0})";
    case param_type::float_: return R"({"type":"number","minimum":0})";
    case param_type::uuid: return R"({"type":"string","format":"uuid"})";
    case param_type::str:
    case param_type::path: return R"({"type":"string"})";
  }
  return R"({"type":"string"})";
}

void append_string_member(std::string& out, std::string_view key, std::string_view value) {
  out.append(",\"").append(key).append("\":");
  append_json_string(out, value);
}

// "get_items__id_": an id unique per method and path when the route has no name.
std::string operation_id(const route_entry& route, std::string_view method) {
  std::string id;
  if (!route.name.empty()) {
    id = route.name;
    id.push_back('_');
  }
  id.append(method);
  for (const char c : route.pattern.text()) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    id.push_back(word ? c : '_');
  }
  return id;
}

void append_parameters(std::string& out, const route_entry& route, const operation& op, schema_registry& registry) {
  std::string list;
  // Path parameters first, in the pattern's order, with the handler's schema if it has one.
  for (const auto& segment : route.pattern.segments()) {
    if (!segment.is_param) continue;
    const auto declared = std::find_if(op.parameters.begin(), op.parameters.end(), [&](const auto& p) {
      return p.source == param_source::path && p.name == segment.name;
    });
    list.append(",{\"name\":");
    append_json_string(list, segment.name);
    list.append(",\"in\":\"path\",\"required\":true,\"schema\":");
    if (declared != op.parameters.end()) {
      declared->schema(list, registry);
    } else {
      list.append(pattern_schema(segment.type));
    }
    list.push_back('}');
  }
  for (const auto& p : op.parameters) {
    if (p.source == param_source::path) continue;
    list.append(",{\"name\":");
    append_json_string(list, p.name);
    list.append(",\"in\":\"").append(source_name(p.source)).append("\",\"required\":");
    list.append(p.required ? "true" : "false");
    list.append(",\"schema\":");
    p.schema(list, registry);
    list.push_back('}');
  }
  if (list.empty()) return;
  list[0] = '[';
  out.append(",\"parameters\":").append(list).push_back(']');
}

void append_responses(std::string& out, const operation& op, schema_registry& registry) {
  out.append(",\"responses\":{\"");
  out.append(std::to_string(op.typed ? op.success_status() : 200));
  out.append("\":{\"description\":\"Successful Response\"");
  if (op.result_schema) {
    out.append(",\"content\":{\"application/json\":{\"schema\":");
    op.result_schema(out, registry);
    out.append("}}");
  }
  out.push_back('}');
  // Only what a request can get wrong is a 422: a typed route with inputs.
  if (op.typed && (op.has_body || !op.parameters.empty())) {
    out.append(",\"422\":{\"description\":\"Validation Error\",\"content\":{\"application/json\":{\"schema\":"
               "{\"$ref\":\"#/components/schemas/HTTPValidationError\"}}}}");
  }
  out.push_back('}');
}

void append_operation(std::string& out, const route_entry& route, std::string_view method, schema_registry& registry) {
  const operation& op = *route.op;
  out.append("{\"operationId\":");
  append_json_string(out, operation_id(route, method));
  if (!op.summary.empty()) append_string_member(out, "summary", op.summary);
  if (!op.description.empty()) append_string_member(out, "description", op.description);
  if (!op.tags.empty()) {
    out.append(",\"tags\":[");
    for (std::size_t i = 0; i < op.tags.size(); ++i) {
      if (i > 0) out.push_back(',');
      append_json_string(out, op.tags[i]);
    }
    out.push_back(']');
  }
  if (op.deprecated) out.append(",\"deprecated\":true");
  append_parameters(out, route, op, registry);
  if (op.body_schema) {
    out.append(",\"requestBody\":{\"required\":").append(op.body_required ? "true" : "false");
    out.append(",\"content\":{");
    append_json_string(out, op.body_media_type);
    out.append(":{\"schema\":");
    op.body_schema(out, registry);
    out.append("}}}");
  }
  append_responses(out, op, registry);
  out.push_back('}');
}

// FastAPI's two error components, which every 422 refers to.
constexpr std::string_view validation_components =
    R"("ValidationError":{"type":"object","title":"ValidationError","properties":{)"
    R"("loc":{"type":"array","title":"Location","items":{"anyOf":[{"type":"string"},{"type":"integer"}]}},)"
    R"("msg":{"type":"string","title":"Message"},"type":{"type":"string","title":"Error Type"}},)"
    R"("required":["loc","msg","type"]},)"
    R"("HTTPValidationError":{"type":"object","title":"HTTPValidationError","properties":{)"
    R"("detail":{"type":"array","title":"Detail","items":{"$ref":"#/components/schemas/ValidationError"}}}})";

}  // namespace

std::string openapi_document(const router& routes, const openapi_options& options) {
  schema_registry registry;
  // Paths in the order their first route was added; one path item per OpenAPI path.
  std::vector<std::pair<std::string, std::string>> paths;
  bool any_validation = false;
  for (const auto& route : routes.routes()) {
    if (!route.op || !route.op->in_schema) continue;
    const std::string path = openapi_path_of(route.pattern);
    auto item = std::find_if(paths.begin(), paths.end(), [&](const auto& p) { return p.first == path; });
    if (item == paths.end()) item = paths.insert(paths.end(), {path, std::string()});
    for (const auto& [method, field] : documented_methods) {
      if (!route.methods.contains(method)) continue;
      item->second.append(",\"").append(field).append("\":");
      append_operation(item->second, route, field, registry);
    }
    any_validation = any_validation || (route.op->typed && (route.op->has_body || !route.op->parameters.empty()));
  }

  std::string out = R"({"openapi":"3.1.0","info":{"title":)";
  append_json_string(out, options.title);
  append_string_member(out, "version", options.version);
  if (!options.description.empty()) append_string_member(out, "description", options.description);
  out.append("},\"paths\":{");
  bool first = true;
  for (auto& [path, methods] : paths) {
    if (methods.empty()) continue;
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, path);
    methods[0] = '{';
    out.append(":").append(methods).push_back('}');
  }
  out.append("},\"components\":{\"schemas\":{");
  first = true;
  for (const auto& [name, schema] : registry.components()) {
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, name);
    out.append(":").append(schema);
  }
  if (any_validation) {
    if (!first) out.push_back(',');
    out.append(validation_components);
  }
  out.append("}}}");
  return out;
}

std::string swagger_ui_page(const std::string& title, const std::string& openapi_url, const std::string& assets_url) {
  // The document's URL goes into a script as a JSON string, with '<' escaped so that
  // it cannot end the script element.
  std::string url;
  append_json_string(url, openapi_url);
  std::string url_in_script;
  for (const char c : url) url_in_script.append(c == '<' ? std::string_view("\\u003c") : std::string_view(&c, 1));
  const std::string assets = html_escape(assets_url);
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + html_escape(title) +
         " - Swagger UI</title>\n<link rel=\"stylesheet\" href=\"" + assets +
         "/swagger-ui.css\">\n</head>\n<body>\n<div id=\"swagger-ui\"></div>\n<script src=\"" + assets +
         "/swagger-ui-bundle.js\"></script>\n<script>\nwindow.ui = SwaggerUIBundle({url: " + url_in_script +
         ", dom_id: '#swagger-ui', deepLinking: true, presets: [SwaggerUIBundle.presets.apis], "
         "layout: 'BaseLayout'});\n</script>\n</body>\n</html>\n";
}

}  // namespace cogi
