#pragma once
// asyncio.sleep: suspends the calling coroutine, never the loop. Cancellable.

#include <chrono>

#include <asio/awaitable.hpp>

namespace cogi::async {

asio::awaitable<void> sleep_for(std::chrono::steady_clock::duration duration);
asio::awaitable<void> sleep_until(std::chrono::steady_clock::time_point deadline);

}  // namespace cogi::async
