#pragma once
// exception_handlers: how exceptions thrown by handlers and middleware become responses.
//
//   app.exception_handler<not_found_in_db>([](cogi::request&, const not_found_in_db& e)
//       -> asio::awaitable<cogi::response> { co_return cogi::text(e.what(), 404); });
//
// The handler registered for the most recently added matching type wins (register the
// base classes first). Without one: an http_exception is its status with
// `{"detail": ...}`; anything else is a 500 with a generic body, and the type, message
// and request line are logged. Internals never reach the client.

#include <exception>
#include <functional>
#include <optional>
#include <typeinfo>
#include <utility>
#include <vector>

#include <asio/awaitable.hpp>

#include "framework/request.hpp"
#include "framework/response.hpp"

namespace cogi {

class exception_handlers {
 public:
  template <class E>
  using handler_for = std::function<asio::awaitable<response>(request&, const E&)>;

  template <class E>
  void add(handler_for<E> handler) {
    entries_.push_back([handler = std::move(handler)](const std::exception_ptr& error) -> matched {
      try {
        std::rethrow_exception(error);
      } catch (const E& typed) {
        // The exception object lives as long as `error`, which the caller holds.
        return [&handler, typed_ptr = &typed](request& req) { return handler(req, *typed_ptr); };
      } catch (...) {
        return nullptr;
      }
    });
  }

  // The response for `error` (see above). Never throws for a plain exception; a
  // registered handler that throws is treated as a 500.
  asio::awaitable<response> respond(request& req, std::exception_ptr error) const;

 private:
  using matched = std::function<asio::awaitable<response>(request&)>;
  std::vector<std::function<matched(const std::exception_ptr&)>> entries_;
};

// `{"detail": ...}` with the exception's status and headers.
response http_exception_response(const http_exception& error);

}  // namespace cogi
