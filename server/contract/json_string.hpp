#pragma once
// Appends text as a JSON string literal (RFC 8259 §7), quotes included: for the lines
// cogi writes as JSON (the log with --log-format json, the access log's json format),
// whose text comes from clients and apps. Quote, backslash and control characters are
// escaped; well-formed UTF-8 is kept as it is; a byte that is not part of well-formed
// UTF-8 becomes U+FFFD, so the line always parses.

#include <string>
#include <string_view>

namespace cogi {

void append_json_string(std::string& out, std::string_view text);

}  // namespace cogi
