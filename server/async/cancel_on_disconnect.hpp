#pragma once
// Opt-in: cancel a request's handler when its client goes away. Wraps any app
// (middleware-style, at the contract level); while the app is still working on a
// response, a client that closes its connection makes the app's current co_await throw
// the cancellation (cancellation.hpp), so its cleanup runs and the work stops, instead
// of computing a response nobody will read.
//
//   return cogi::run(cogi::async::cancel_on_disconnect(my_app), argc, argv);
//
// The disconnect can only be noticed once the request body has been read (the app
// reads it; a request without a body is watched at once), as in Starlette. An app that
// has finished its response is never cancelled for work it does afterwards. For a
// cancelled app the server sees client_disconnected.

#include "server/contract/app.hpp"

namespace cogi::async {

app_fn cancel_on_disconnect(app_fn app);

}  // namespace cogi::async
