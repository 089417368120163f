// Built when CMake found no swagger-ui-dist copy (scripts/setup.sh fetches one): the
// OpenAPI document is served all the same; the /docs page says what is missing.
#include "cogi/framework/openapi/swagger_ui_assets.hpp"

namespace cogi {

std::optional<std::string_view> swagger_ui_asset(std::string_view) { return std::nullopt; }

std::string_view swagger_ui_version() { return {}; }

}  // namespace cogi
