#pragma once
// The demo app (DESIGN.md §5):
//   GET /plaintext     200 text/plain "Hello, World!"
//   GET /json          200 application/json {"message":"Hello, World!"}
//   POST /echo         200, the request body streamed back
//   GET /stream?n=N    200, N chunks
//   GET /sleep?ms=N    200 "ok" after N ms on a timer
//   anything else      404; a known path with another method 405 with Allow

#include "server/contract/app.hpp"

namespace cogi::examples {

asio::awaitable<void> demo_app(scope& scope, receive_fn receive, send_fn send);

}  // namespace cogi::examples
