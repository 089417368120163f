#pragma once
// Runs a coroutine on a fresh io_context (one loop, this thread) until the context has
// no work left, and hands back its result or rethrows its exception. For tests of code
// that lives on a loop.

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

namespace cogi::testing {

template <class T>
T run_loop(asio::awaitable<T> body) {
  asio::io_context loop;
  std::exception_ptr failure;
  std::conditional_t<std::is_void_v<T>, bool, std::optional<T>> result{};
  asio::co_spawn(loop, std::move(body), [&](std::exception_ptr error, auto... value) {
    failure = error;
    if constexpr (!std::is_void_v<T>) {
      if (!error) result.emplace(std::move(value)...);
    }
  });
  loop.run();
  if (failure) std::rethrow_exception(failure);
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

}  // namespace cogi::testing
