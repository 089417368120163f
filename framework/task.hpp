#pragma once
// cogi::task<T>: what a handler, a middleware or any cogi coroutine returns. It is
// Asio's awaitable, named once so that no handler has to spell it:
//
//   app.get("/", [](cogi::request&) -> cogi::task<> { co_return cogi::text("Hello"); });
//   app.get("/notes", []() -> cogi::task<std::vector<note>> { co_return load_notes(); });
//
// (cogi::async::task is something else: the handle spawn() returns for a coroutine
// running beside the caller, as asyncio.Task is.)

#include <asio/awaitable.hpp>

namespace cogi {

class response;

template <class T = response>
using task = asio::awaitable<T>;

}  // namespace cogi
