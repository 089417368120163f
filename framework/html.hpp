#pragma once
// Text into HTML: the five characters that could end an element or an attribute value
// (& < > " ') become character references, so a value from a database or a user can be
// placed in a page without being read as markup.
//
//   std::string page = "<td>";
//   cogi::append_html_escaped(page, message);
//   page += "</td>";

#include <string>
#include <string_view>

namespace cogi {

// Appends `text` to `out`, escaped.
void append_html_escaped(std::string& out, std::string_view text);

// `text`, escaped.
std::string html_escape(std::string_view text);

}  // namespace cogi
