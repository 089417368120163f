#pragma once
// The Swagger UI files cogi serves its /docs page with, built into the library from
// the swagger-ui-dist copy scripts/setup.sh fetches (pinned, checksum verified), so a
// deployed binary needs no files beside it and the browser nothing from a CDN.

#include <optional>
#include <string_view>

namespace cogi {

// "swagger-ui.css", "swagger-ui-bundle.js": their bytes; nullopt for any other name, or
// when cogi was built without the assets (the docs page then says so).
std::optional<std::string_view> swagger_ui_asset(std::string_view name);

// The swagger-ui-dist version built in, or empty.
std::string_view swagger_ui_version();

}  // namespace cogi
