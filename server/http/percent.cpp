#include "cogi/server/http/percent.hpp"

#include "cogi/server/http/validation.hpp"

namespace cogi::http {
std::string_view percent_decode(std::string_view raw, std::string& out) {
  if (raw.find('%') == std::string_view::npos) return raw;
  out.clear();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%' && i + 2 < raw.size() && hex_value(raw[i + 1]) >= 0 && hex_value(raw[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(raw[i + 1]) * 16 + hex_value(raw[i + 2])));
      i += 2;
    } else {
      out.push_back(raw[i]);
    }
  }
  return out;
}

}  // namespace cogi::http
