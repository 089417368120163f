#pragma once
// trusted_hosts: answers 400 to requests whose Host is not one of the service's names,
// as Starlette's TrustedHostMiddleware (it stops Host-header poisoning of generated
// links and password-reset mails, and DNS rebinding).
//
//   app.use(cogi::trusted_hosts({"example.com", "*.example.com"}));
//
// Patterns: an exact name, "*.domain" for any subdomain of it, or "*" for any. The port
// is ignored, case too. WebSocket handshakes are checked too (the 400 is their refusal).

#include <string>
#include <vector>

#include "cogi/framework/middleware.hpp"

namespace cogi {

app_wrapper_fn trusted_hosts(std::vector<std::string> allowed);

// Whether `host` (a Host header value, port allowed) matches one of the patterns.
bool host_allowed(std::string_view host, const std::vector<std::string>& allowed);

}  // namespace cogi
