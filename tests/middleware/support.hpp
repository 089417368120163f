#pragma once
// A small app for the middleware tests: routes that show what the app saw.

#include "cogi/framework/app.hpp"

namespace cogi::testing {

// GET /hello: "hello"; GET /seen: the scheme, client host and x-request-id the app saw;
// the WebSocket /ws/seen: accepts and sends the scheme and client host.
inline cogi::app echo_app() {
  cogi::app app;
  app.get("/hello", [](cogi::request&) -> cogi::task<> { co_return cogi::text("hello"); });
  app.get("/seen", [](cogi::request& req) -> cogi::task<> {
    co_return cogi::text(std::string(req.scope().scheme) + " " + (req.client() ? req.client()->host : "-") + " " +
                         std::string(req.header("x-request-id")));
  });
  app.websocket("/ws/seen", [](cogi::websocket& ws) -> cogi::task<void> {
    co_await ws.accept();
    // Named first: GCC 12 destroys a std::string from a conditional expression twice
    // when it is built inside a co_await (docs/compilers.md).
    const std::string seen = std::string(ws.scope().scheme) + " " + (ws.client() ? ws.client()->host : "-");
    co_await ws.send_text(seen);
    co_await ws.close();
  });
  return app;
}

}  // namespace cogi::testing
