#include "cogi/framework/path_params.hpp"

namespace cogi {

std::string_view path_params::get(std::string_view name) const {
  for (std::size_t i = 0; i < size(); ++i)
    if ((*names_)[i] == name) return value(i);
  throw std::out_of_range("the route has no path parameter '" + std::string(name) + "'");
}

bool path_params::contains(std::string_view name) const {
  for (std::size_t i = 0; i < size(); ++i)
    if ((*names_)[i] == name) return true;
  return false;
}

}  // namespace cogi
