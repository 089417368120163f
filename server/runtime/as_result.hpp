#pragma once
// The completion token the runtime's socket I/O uses: errors as values, not exceptions,
// because end of file, a reset or a cancellation are the normal ends of a connection:
// auto [ec, n] = co_await socket.async_read_some(buffer, as_result).

#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>

namespace cogi::runtime {

inline constexpr auto as_result = asio::experimental::as_tuple(asio::use_awaitable);

}  // namespace cogi::runtime
