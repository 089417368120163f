#pragma once
// The IMF-fixdate for the Date header (RFC 9110 §6.6.1), formatted at most once per
// second per thread: each loop is one thread, so the cache needs no lock.

#include <string_view>

namespace cogi::http {

// e.g. "Sun, 06 Nov 1994 08:49:37 GMT"; valid until the calling thread calls again.
std::string_view http_date_now();

// "date: <now>\r\nserver: cogi\r\n", the two lines every response carries, built
// once per second; valid until the calling thread calls again.
std::string_view date_and_server_lines();

}  // namespace cogi::http
