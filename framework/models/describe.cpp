#include "cogi/framework/models/describe.hpp"

#include "cogi/server/contract/json_string.hpp"

namespace cogi::models {

field_info::field_info(std::string_view member_name) : name(member_name) {}
field_info::~field_info() = default;

namespace detail {

void finish_field(field_info& info) {
  if (!info.rules.alias.empty()) info.name = info.rules.alias;
  info.json_key.clear();
  append_json_string(info.json_key, info.name);
  info.json_key.push_back(':');
}

std::string schema_name(std::string_view type_name) {
  std::string out;
  for (std::size_t i = 0; i < type_name.size(); ++i) {
    const char c = type_name[i];
    if (c == ':' && i + 1 < type_name.size() && type_name[i + 1] == ':') {
      out.push_back('.');
      ++i;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
               c == '_') {
      out.push_back(c);
    } else {
      out.push_back('_');
    }
  }
  return out;
}

}  // namespace detail
}  // namespace cogi::models
