#pragma once
// static_files: serves the files under a directory, for mounting under a prefix.
//
//   app.mount("/static", cogi::static_files("public"));            // GET /static/css/site.css
//   app.mount("/", cogi::static_files("dist", {.html = true}));    // index.html for "/"
//
// Each file goes out as a file response (file_response.hpp: ETag, 304, Range, chunked
// reads off the loop). Only GET and HEAD (405 otherwise). Paths are resolved inside the
// directory: "..", and symbolic links that lead outside it, are 404s, as are hidden
// files (a segment starting with '.') unless allowed.

#include <string>

#include "cogi/server/contract/app.hpp"
#include "cogi/server/contract/option_setters.hpp"

namespace cogi {

struct static_files_options {
  bool html = false;          // a directory serves its index.html; a miss serves 404.html if present
  bool allow_hidden = false;  // serve names starting with '.'

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(html, allow_hidden)
};

// Throws std::invalid_argument when `directory` does not exist or is not a directory.
app_fn static_files(std::string directory, static_files_options options = {});

}  // namespace cogi
