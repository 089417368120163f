#pragma once
// access_log: one line per request, in Apache's combined format by default, so the
// tools that read nginx and Apache logs (goaccess, awstats, fail2ban) read cogi's too.
//
//   app.wrap(cogi::access_log());                                   // combined, to stdout
//   app.wrap(cogi::access_log({.format = "%h \"%r\" %>s %D us"}));  // your own
//   app.wrap(cogi::access_log({.enabled = false}));                 // off
//
// Format directives (Apache mod_log_config's): %h client address, %l and %u "-",
// %t [time], %r request line, %s or %>s status, %b bytes ("-" for none), %B bytes,
// %D microseconds, %T seconds, %m method, %U path, %q "?query" or "", %H protocol,
// %{Name}i a request header, %{Name}o a response header, %% a percent sign. The line is
// written when the response is complete (or the request failed: status 500).

#include <functional>
#include <string>
#include <string_view>

#include "framework/middleware.hpp"

namespace cogi {

struct access_log_options {
  bool enabled = true;
  std::string format = R"(%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i")";
  // Where lines go (without the newline); default: stdout, one write(2) per line.
  std::function<void(std::string_view line)> sink;
};

// Throws std::invalid_argument for an unknown directive.
app_wrapper_fn access_log(access_log_options options = {});

}  // namespace cogi
