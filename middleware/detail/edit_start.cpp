#include "cogi/middleware/detail/edit_start.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "cogi/server/http/validation.hpp"

namespace cogi::detail {

asio::awaitable<void> send_edited_start(send_fn send, const response_start& start, std::span<const header_field> add,
                                        std::span<const std::string_view> drop) {
  std::array<header_field, 64> fixed;
  std::vector<header_field> spilled;
  std::size_t count = 0;
  const std::size_t needed = start.headers.size() + add.size();
  if (needed > fixed.size()) spilled.resize(needed);
  header_field* out = needed > fixed.size() ? spilled.data() : fixed.data();
  for (const auto& h : start.headers) {
    const bool dropped = std::any_of(drop.begin(), drop.end(), [&](std::string_view d) { return http::iequals(h.name, d); });
    if (!dropped) out[count++] = h;
  }
  for (const auto& h : add) out[count++] = h;
  const response_start edited{start.status, std::span<const header_field>(out, count)};
  co_await send(edited);
}

}  // namespace cogi::detail
