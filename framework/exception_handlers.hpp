#pragma once
// exception_handlers: how exceptions thrown by handlers and middleware become responses.
//
//   app.exception_handler<not_found_in_db>([](cogi::request&, const not_found_in_db& e)
//       -> cogi::task<> { co_return cogi::text(e.what(), 404); });
//
// The handler registered for the most recently added matching type wins (register the
// base classes first). Without one: an http_exception is its status with
// `{"detail": ...}`; a request_validation_error (typed parameters that do not fit) is a
// 422 with FastAPI's `{"detail": [{"loc", "msg", "type"}, ...]}`; anything else is a
// 500 with a generic body, and the type, message
// and request line are logged. Internals never reach the client.

#include <exception>
#include <functional>
#include <optional>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include <asio/awaitable.hpp>

#include "cogi/framework/http_exception.hpp"
#include "cogi/framework/request.hpp"
#include "cogi/framework/response.hpp"
#include "cogi/framework/task.hpp"

namespace cogi {

class exception_handlers {
 public:
  template <class E>
  using handler_for = std::function<task<response>(request&, const E&)>;

  template <class E>
  void add(handler_for<E> handler) {
    // A handler for http_exception or one of its bases would render 404s and 405s.
    renders_http_exceptions_ = renders_http_exceptions_ || std::is_base_of_v<E, http_exception>;
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
  task<response> respond(request& req, std::exception_ptr error) const;

  // Whether a registered handler catches http_exception: if not, the router answers 404
  // and 405 directly, without the cost of a throw (scanners probe many paths).
  bool renders_http_exceptions() const { return renders_http_exceptions_; }

 private:
  using matched = std::function<task<response>(request&)>;
  std::vector<std::function<matched(const std::exception_ptr&)>> entries_;
  bool renders_http_exceptions_ = false;
};

// `{"detail": ...}` with the exception's status and headers.
response http_exception_response(const http_exception& error);

}  // namespace cogi
