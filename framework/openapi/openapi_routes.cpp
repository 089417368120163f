#include <string>
#include <string_view>

#include "cogi/framework/html.hpp"
#include "cogi/framework/http_exception.hpp"
#include "cogi/framework/openapi/openapi.hpp"
#include "cogi/framework/openapi/swagger_ui_assets.hpp"
#include "cogi/framework/response.hpp"
#include "cogi/framework/router.hpp"
#include "cogi/server/contract/json_string.hpp"

namespace cogi {
namespace {

// The document as served under a root path: with that prefix as its server, so that
// the docs page's requests reach the app behind the proxy that strips it.
std::string document_for(const openapi_state& state, std::string_view root_path) {
  if (root_path.empty()) return state.document;
  std::string servers = R"("servers":[{"url":)";
  append_json_string(servers, root_path);
  servers.append("}],");
  std::string out = state.document;
  out.insert(out.find("\"info\""), servers);
  return out;
}

}  // namespace

void add_openapi_routes(router& routes, std::shared_ptr<const openapi_state> state) {
  const openapi_options& options = state->options;
  if (options.openapi_path.empty()) return;
  // The routes keep `state` (the handlers below capture it) for as long as the app serves.
  routes
      .get(options.openapi_path,
           [state](request& req) -> task<> {
             co_return bytes(document_for(*state, req.scope().root_path), "application/json");
           })
      .hidden();
  if (options.docs_path.empty()) return;
  routes
      .get(options.docs_path,
           [state](request& req) -> task<> {
             const std::string root(req.scope().root_path);
             if (swagger_ui_version().empty())
               throw http_exception(503, "this cogi was built without Swagger UI (scripts/setup.sh fetches it)");
             co_return html(swagger_ui_page(state->options.title, root + state->options.openapi_path,
                                            root + state->options.docs_path));
           })
      .hidden();
  routes
      .get(options.docs_path + "/{file}",
           [](path<"file"> file) -> task<> {
             const auto asset = swagger_ui_asset(*file);
             if (!asset) throw http_exception(404);
             const std::string_view type =
                 file->ends_with(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
             response res = bytes(std::string(*asset), type);
             res.headers.set("cache-control", "public, max-age=86400");
             co_return res;
           })
      .hidden();
}

}  // namespace cogi
