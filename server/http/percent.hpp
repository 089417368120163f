#pragma once
// Percent-decoding of the request path for scope.path (ASGI: "path", decoded).

#include <string>
#include <string_view>

namespace cogi::http {

// Decodes %XX sequences into `out` (cleared first). Malformed sequences are kept as
// they are, like Python's urllib.parse.unquote. Returns `raw` itself when it has no '%'
// (no copy), else a view of `out`.
std::string_view percent_decode(std::string_view raw, std::string& out);

}  // namespace cogi::http
