#pragma once
// asyncio.gather with TaskGroup's rules: runs the awaitables concurrently on the
// caller's executor and returns all their results, in argument order. The first failure
// cancels the others and is rethrown once they have wound down; cancelling the caller
// cancels them all.
//
//   auto [user, orders] = co_await async::gather(fetch_user(id), fetch_orders(id));
//   std::vector<page> pages = co_await async::gather(std::move(fetches));  // a range
//
// A void awaitable contributes std::monostate to the tuple.

#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/this_coro.hpp>

#include "cogi/server/async/task_group.hpp"

namespace cogi::async {
namespace detail {

template <class T>
using gathered_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <class T>
gathered_t<T> take_gathered(task<T>& done) {
  if constexpr (std::is_void_v<T>) {
    done.take();
    return {};
  } else {
    return done.take();
  }
}

}  // namespace detail

template <class... Ts>
asio::awaitable<std::tuple<detail::gathered_t<Ts>...>> gather(asio::awaitable<Ts>... bodies) {
  task_group group(co_await asio::this_coro::executor);
  std::tuple<task<Ts>...> tasks{group.spawn(std::move(bodies))...};
  co_await group.wait();
  co_return std::apply([](auto&... done) { return std::tuple<detail::gathered_t<Ts>...>{detail::take_gathered(done)...}; },
                       tasks);
}

template <class T>
asio::awaitable<std::conditional_t<std::is_void_v<T>, void, std::vector<T>>> gather(std::vector<asio::awaitable<T>> bodies) {
  task_group group(co_await asio::this_coro::executor);
  std::vector<task<T>> tasks;
  tasks.reserve(bodies.size());
  for (auto& body : bodies) tasks.push_back(group.spawn(std::move(body)));
  co_await group.wait();
  if constexpr (!std::is_void_v<T>) {
    std::vector<T> results;
    results.reserve(tasks.size());
    for (auto& done : tasks) results.push_back(done.take());
    co_return results;
  }
}

}  // namespace cogi::async
