#pragma once
// request_id: gives every request an id and echoes it in the response, so a client's
// report, the access log and the app's own logs can be matched up.
//
//   app.use(cogi::request_id());
//   std::string_view id = req.header("x-request-id");  // in a handler
//
// An id the client (or a proxy in front) sent is kept when it is 1 to 200 visible ASCII
// characters; otherwise a random UUID (version 4) replaces it. The app sees the id as
// the request header, and the response carries it in the same header.

#include <string>

#include "cogi/framework/middleware.hpp"
#include "cogi/server/contract/option_setters.hpp"

namespace cogi {

struct request_id_options {
  std::string header = "x-request-id";  // lower-case

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(header)
};

app_wrapper_fn request_id(request_id_options options = {});

// A random UUID version 4, e.g. "3b241101-e2bb-4255-8caf-4136c566a962".
std::string random_uuid();

}  // namespace cogi
