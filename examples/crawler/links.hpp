#pragma once
// The links in an HTML page: the targets of href attributes (a, link, area...), resolved
// against the page's URL (or its <base href>), http and https only, fragments dropped,
// each once, in the order they first appear. A scanner, not an HTML parser: it reads
// href="..." (double, single or no quotes, any case) outside comments, and decodes the
// few character references that appear in URLs (&amp; and the like).

#include <string>
#include <string_view>
#include <vector>

#include "cogi/clients/http/url.hpp"

namespace cogi::examples {

std::vector<std::string> extract_links(std::string_view html, const fetch::url& page);

}  // namespace cogi::examples
