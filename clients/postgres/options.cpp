#include "cogi/clients/postgres/options.hpp"

#include <charconv>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

namespace cogi::postgres {

options options::from_environment(options defaults) {
  if (const char* url = std::getenv("COGI_DATABASE_URL")) defaults.url = url;
  if (const char* size = std::getenv("COGI_DB_POOL_SIZE")) {
    const std::string_view text(size);
    unsigned n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n == 0) {
      throw std::invalid_argument("COGI_DB_POOL_SIZE must be a positive integer, not '" + std::string(text) + "'");
    }
    defaults.pool_size = n;
  }
  return defaults;
}

options options::from_environment() { return from_environment(options{}); }

}  // namespace cogi::postgres
