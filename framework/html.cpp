#include "cogi/framework/html.hpp"

namespace cogi {

void append_html_escaped(std::string& out, std::string_view text) {
  // Runs of plain characters are appended whole.
  std::size_t plain_from = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string_view reference;
    switch (text[i]) {
      case '&': reference = "&amp;"; break;
      case '<': reference = "&lt;"; break;
      case '>': reference = "&gt;"; break;
      case '"': reference = "&quot;"; break;
      case '\'': reference = "&#39;"; break;
      default: continue;
    }
    out.append(text.substr(plain_from, i - plain_from));
    out.append(reference);
    plain_from = i + 1;
  }
  out.append(text.substr(plain_from));
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_html_escaped(out, text);
  return out;
}

}  // namespace cogi
