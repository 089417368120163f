#pragma once
// Runs one coroutine on an io_context, on the calling thread, until it has finished,
// and returns its result (or throws its exception). For loops whose work never runs
// out by itself (an HTTP client's pools keep timers), where io_context::run() would not
// return; the context is restarted whenever it stops for want of work.

#include <exception>
#include <optional>
#include <utility>

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

namespace cogi::testing {

template <class T>
T run_until_done(asio::io_context& io, asio::awaitable<T> work) {
  std::optional<T> value;
  std::exception_ptr failure;
  bool done = false;
  asio::co_spawn(io, std::move(work), [&](std::exception_ptr error, T result) {
    failure = error;
    if (!error) value.emplace(std::move(result));
    done = true;
  });
  while (!done) {
    if (io.stopped()) io.restart();
    io.run_one();
  }
  if (failure) std::rethrow_exception(failure);
  return std::move(*value);
}

}  // namespace cogi::testing
