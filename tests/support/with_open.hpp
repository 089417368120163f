#pragma once
// Runs a test's coroutine on a fresh loop with a client opened on it (a
// postgres::database, a redis::client: anything with open() and close() awaitables),
// and closes the client afterwards whatever the coroutine did, so that the loop ends.

#include <exception>

#include <asio/awaitable.hpp>

#include "cogi/server/async/run.hpp"

namespace cogi::testing {

template <class Client, class Body>
void with_open(Client& client, Body body) {
  async::run([&]() -> asio::awaitable<void> {
    co_await client.open();
    std::exception_ptr failure;
    try {
      co_await body();
    } catch (...) {
      failure = std::current_exception();
    }
    co_await client.close();
    if (failure) std::rethrow_exception(failure);
  }());
}

}  // namespace cogi::testing
