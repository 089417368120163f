// The assets, with the assembler's .incbin: the bytes go into .rodata as they are, at
// no cost to the compiler (a 1.4 MB array initialiser would take it seconds).
#include "cogi/framework/openapi/swagger_ui_assets.hpp"

#ifndef COGI_SWAGGER_UI_DIR
#error "COGI_SWAGGER_UI_DIR names the directory with swagger-ui.css and swagger-ui-bundle.js"
#endif

#define COGI_INCBIN(symbol, file)                                                      \
  asm(".section .rodata\n"                                                             \
      ".balign 16\n"                                                                   \
      ".global " #symbol "\n" #symbol ":\n"                                            \
      ".incbin \"" COGI_SWAGGER_UI_DIR "/" file "\"\n"                                 \
      ".global " #symbol "_end\n" #symbol "_end:\n"                                    \
      ".byte 0\n"                                                                      \
      ".previous\n");                                                                  \
  extern "C" const char symbol[];                                                      \
  extern "C" const char symbol##_end[];

COGI_INCBIN(cogi_swagger_ui_css, "swagger-ui.css")
COGI_INCBIN(cogi_swagger_ui_bundle_js, "swagger-ui-bundle.js")

namespace cogi {

std::optional<std::string_view> swagger_ui_asset(std::string_view name) {
  if (name == "swagger-ui.css")
    return std::string_view(cogi_swagger_ui_css, static_cast<std::size_t>(cogi_swagger_ui_css_end - cogi_swagger_ui_css));
  if (name == "swagger-ui-bundle.js")
    return std::string_view(cogi_swagger_ui_bundle_js,
                            static_cast<std::size_t>(cogi_swagger_ui_bundle_js_end - cogi_swagger_ui_bundle_js));
  return std::nullopt;
}

std::string_view swagger_ui_version() { return COGI_SWAGGER_UI_VERSION; }

}  // namespace cogi
