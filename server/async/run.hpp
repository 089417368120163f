#pragma once
// asyncio.run: runs a coroutine on a fresh loop (an io_context on the calling thread)
// until it and everything it spawned have finished, then returns its value or rethrows
// its exception. For programs and tests outside the server; in the server, handlers
// already run on a loop.
//
//   int main() { return cogi::async::run(main_coroutine()); }

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

namespace cogi::async {

template <class T>
T run(asio::awaitable<T> main) {
  asio::io_context loop(1);
  std::exception_ptr failure;
  std::conditional_t<std::is_void_v<T>, bool, std::optional<T>> result{};
  asio::co_spawn(loop, std::move(main), [&](std::exception_ptr error, auto... value) {
    failure = error;
    if constexpr (!std::is_void_v<T>) {
      if (!error) result.emplace(std::move(value)...);
    }
  });
  loop.run();
  if (failure) std::rethrow_exception(failure);
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

}  // namespace cogi::async
