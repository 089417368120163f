#pragma once
// The server's metrics in Prometheus' text exposition format 0.0.4 (what /metrics
// answers; docs/operations.md lists every metric). Every loop's numbers are summed here,
// at scrape time, so that the request path never touches a shared counter.

#include <string>
#include <string_view>

#include "cogi/server/runtime/server_view.hpp"

namespace cogi::runtime {

// The Content-Type of the format.
inline constexpr std::string_view metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";

// Appends the exposition of the whole server to `out`.
void append_metrics(std::string& out, const server_view& server);

// Appends `value` as a label value: quoted, with backslash, quote and newline escaped.
void append_label_value(std::string& out, std::string_view value);

}  // namespace cogi::runtime
