#pragma once
// Opt-in: cancel a request's handler when its client goes away. A contract-level
// middleware: while the app is still working on a response, a client that closes its
// connection makes the app's current co_await throw the cancellation
// (server/async/cancellation.hpp), so its cleanup runs and the work stops, instead of
// computing a response nobody will read. (Streaming responses need no opt-in: the
// framework stops their producers by itself, see framework/response.hpp.)
//
//   app.use(cogi::cancel_on_disconnect());                    // a framework app
//   return cogi::run(cogi::cancel_on_disconnect()(hello), argc, argv);  // any app
//
// The disconnect can only be noticed once the request body has been read (the app
// reads it; a request without a body is watched at once), as in Starlette. An app that
// has finished its response is never cancelled for work it does afterwards. For a
// cancelled app the server sees client_disconnected.

#include "cogi/framework/middleware.hpp"

namespace cogi {

app_wrapper_fn cancel_on_disconnect();

}  // namespace cogi
