#include "cogi/middleware/timeout.hpp"

#include <cstdio>

#include "cogi/framework/exception_handlers.hpp"
#include "cogi/framework/http_exception.hpp"
#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/wait_for.hpp"

namespace cogi {
namespace {

asio::awaitable<void> with_deadline(const timeout_options& options, const app_fn& next, scope& sc,
                                    receive_fn receive, send_fn send) {
  if (sc.type != scope_type::http) co_return co_await next(sc, receive, send);
  bool started = false;
  auto watched = [&](const send_event& event) {
    started = started || std::holds_alternative<response_start>(event);
    return send(event);
  };
  bool timed_out = false;
  try {
    auto work = next(sc, receive, watched);  // named: GCC 12 and co_await temporaries
    co_await async::wait_for(std::move(work), options.limit);
  } catch (const async::timeout_error&) {
    timed_out = true;  // the handler has been cancelled and has finished its cleanup
  }
  if (!timed_out) co_return;
  if (started) throw async::timeout_error();  // the server closes the connection
  char detail[96];
  std::snprintf(detail, sizeof detail, "the request took longer than %.3g s",
                std::chrono::duration<double>(options.limit).count());
  response res = http_exception_response(http_exception(504, detail));
  co_await send_response(res, send, sc.method == "HEAD");
}

}  // namespace

app_wrapper_fn timeout(timeout_options options) { return contract_middleware(options, with_deadline); }

}  // namespace cogi
