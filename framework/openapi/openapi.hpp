#pragma once
// The OpenAPI 3.1 document of an app's routes, and the pages that show it:
//
//   app.openapi({.title = "Notes", .version = "1.0.0"});   // GET /openapi.json and GET /docs
//
// The document is written once, when the app starts serving, from every route's
// pattern, methods and what its handler declares (typed/operation.hpp): parameters
// with their schemas and whether they are required, the JSON body, the result with its
// status, the 422 of FastAPI's shape for routes that can fail validation, and the
// models as components. Plain (request&) handlers appear with their path parameters and
// an undescribed response. A route's summary, description, tags and deprecation come
// from route_ref; hidden() routes, mounts and the documentation's own routes are left
// out. Behind a --root-path prefix the document names it as its server, so "Try it
// out" reaches the app.
//
// /docs is Swagger UI (swagger-ui-dist, built into cogi from scripts/setup.sh's copy:
// no CDN, nothing fetched by the browser from elsewhere). Set docs_path to "" to leave
// the page out, or openapi_path to "" to leave both out.

#include <memory>
#include <string>
#include "cogi/server/contract/option_setters.hpp"

namespace cogi {

class router;

struct openapi_options {
  std::string title = "cogi";
  std::string version = "0.1.0";
  std::string description;
  std::string openapi_path = "/openapi.json";
  std::string docs_path = "/docs";

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(title, version, description, openapi_path, docs_path)
};

// The document, compact JSON.
std::string openapi_document(const router& routes, const openapi_options& options);

// What app::openapi() keeps: the options, and the document once the app starts serving.
struct openapi_state {
  openapi_options options;
  std::string document;
};

// Adds the routes that serve `state`'s document and pages to `routes`, hidden.
void add_openapi_routes(router& routes, std::shared_ptr<const openapi_state> state);

// The Swagger UI page for a document at `openapi_url`, its assets under `assets_url`.
std::string swagger_ui_page(const std::string& title, const std::string& openapi_url, const std::string& assets_url);

}  // namespace cogi
