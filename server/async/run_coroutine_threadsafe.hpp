#pragma once
// asyncio.run_coroutine_threadsafe: from any thread (a plain std::thread, a blocking
// call, another loop), start a coroutine on a loop and get a std::future of its result.
//
//   std::future<int> count = async::run_coroutine_threadsafe(loop.get_executor(), count_users());
//   int n = count.get();          // blocks this thread, not the loop
//
// Never .get() the future on the loop it waits for: that loop could not run the
// coroutine (await it there instead, or use spawn()).

#include <exception>
#include <future>
#include <memory>
#include <type_traits>
#include <utility>

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>

namespace cogi::async {
namespace detail {

template <class T>
asio::awaitable<void> fulfil(asio::awaitable<T> body, std::shared_ptr<std::promise<T>> promise) {
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(body);
      promise->set_value();
    } else {
      promise->set_value(co_await std::move(body));
    }
  } catch (...) {
    promise->set_exception(std::current_exception());
  }
}

}  // namespace detail

template <class T, class Executor>
std::future<T> run_coroutine_threadsafe(const Executor& loop, asio::awaitable<T> body) {
  auto promise = std::make_shared<std::promise<T>>();
  auto future = promise->get_future();
  asio::co_spawn(loop, detail::fulfil(std::move(body), std::move(promise)), asio::detached);
  return future;
}

}  // namespace cogi::async
