#pragma once
// access_log: one line per request, in Apache's combined format by default, so the
// tools that read nginx and Apache logs (goaccess, awstats, fail2ban) read cogi's too.
//
//   app.use(cogi::access_log());                                   // combined, to stdout
//   app.use(cogi::access_log({.format = "%h \"%r\" %>s %D us"}));  // your own
//   app.use(cogi::access_log({.format = "json"}));                 // a JSON object per line
//   app.use(cogi::access_log({.enabled = false}));                 // off
//
// The formats ("common", "combined", "json" or mod_log_config directives) are the
// runner's --access-log-format's: server/http/access_log_format.hpp lists them. The
// line is written when the response is complete (or the request failed: status 500).
// The runner's --access-log does the same for every app without code; this middleware
// is for a log of part of an app (a mount), or lines sent to a sink of your own.

#include <functional>
#include <string>
#include <string_view>

#include "cogi/framework/middleware.hpp"
#include "cogi/server/contract/option_setters.hpp"

namespace cogi {

struct access_log_options {
  bool enabled = true;
  std::string format = "combined";
  // Where lines go (without the newline); default: stdout, one write(2) per line.
  std::function<void(std::string_view line)> sink;

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(enabled, format, sink)
};

// Throws std::invalid_argument for an unknown directive.
app_wrapper_fn access_log(access_log_options options = {});

}  // namespace cogi
