// The request head path: head_scanner, then request_parser (llhttp), then the body
// reader over what follows. Properties: no crash or sanitizer report on any input; a
// head scanned in two parts (bytes arriving in two reads) gives the same outcome as in
// one; an accepted head keeps the promises the server relies on (lower-case token
// names, trimmed values without control bytes, one Host on HTTP/1.1, one framing, views
// inside the buffer); body pieces lie within the input and never exceed Content-Length.

#include <string>

#include "cogi/server/http/body_reader.hpp"
#include "cogi/server/http/head_scanner.hpp"
#include "cogi/server/http/request_parser.hpp"
#include "cogi/server/http/validation.hpp"
#include "tests/fuzz/fuzz_input.hpp"

using namespace cogi;
using cogi::fuzz::check;

namespace {

http::limits small_limits() {
  http::limits l;  // small enough for the fuzzer to reach every limit
  l.max_target_bytes = 64;
  l.max_header_bytes = 512;
  l.max_header_count = 8;
  l.max_body_bytes = 256;
  return l;
}

struct scan_outcome {
  http::head_scanner::state state;
  std::size_t prefix = 0, length = 0;
  int status = 0;
  bool operator==(const scan_outcome&) const = default;
};

scan_outcome scan(std::string& buffer, std::size_t first_part, const http::limits& limits) {
  http::head_scanner scanner(limits);
  auto state = http::head_scanner::state::incomplete;
  if (first_part < buffer.size()) state = scanner.scan(buffer.data(), first_part);
  if (state == http::head_scanner::state::incomplete) state = scanner.scan(buffer.data(), buffer.size());
  scan_outcome out{state};
  if (state == http::head_scanner::state::complete) {
    out.prefix = scanner.prefix_length();
    out.length = scanner.head_length();
  } else if (state == http::head_scanner::state::rejected) {
    out.status = scanner.error().status;
  }
  return out;
}

void check_head(const http::request_head& head, std::string_view buffer) {
  check(!head.method.empty() && http::is_token(head.method), "method is a token");
  check(fuzz::inside(head.target, buffer), "target inside the buffer");
  check(head.raw_path == "*" || head.raw_path.starts_with('/'), "path is origin-form or *");
  std::size_t hosts = 0;
  for (const auto& h : head.headers) {
    check(http::is_token(h.name), "field name is a token");
    for (char c : h.name) check(c == http::ascii_lower(c), "field name is lower-case");
    check(fuzz::inside(h.name, buffer) && fuzz::inside(h.value, buffer), "field inside the buffer");
    for (unsigned char c : h.value) check(c >= 0x20 || c == '\t', "no control bytes in a value");
    check(h.value.empty() || (h.value.back() != ' ' && h.value.back() != '\t'), "value trimmed at the end");
    check(h.value.empty() || (h.value.front() != ' ' && h.value.front() != '\t'), "value trimmed at the start");
    if (h.name == "host") ++hosts;
    if (h.name == "transfer-encoding") check(head.framing == http::body_framing::chunked, "TE means chunked");
  }
  if (head.version_minor == 1) check(hosts == 1, "HTTP/1.1 has exactly one Host");
}

void read_body(const http::request_head& head, std::string_view rest, const http::limits& limits) {
  http::body_reader body;
  body.reset(head, limits.max_body_bytes, limits.max_header_bytes);
  std::uint64_t total = 0;
  while (!body.done()) {
    const auto piece = body.next(rest);
    check(piece.consumed <= rest.size(), "consumed within the input");
    if (piece.state == http::piece_status::data) {
      check(fuzz::inside(piece.data, rest), "body piece inside the input");
      total += piece.data.size();
    }
    rest.remove_prefix(piece.consumed);
    if (piece.state == http::piece_status::rejected || piece.state == http::piece_status::need_more) break;
  }
  if (head.framing == http::body_framing::content_length) check(total <= head.content_length, "within Content-Length");
  check(total <= limits.max_body_bytes, "within the body limit");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const http::limits limits = small_limits();
  fuzz::input in(data, size);
  const std::size_t split = in.byte();
  const std::string original(in.rest());
  std::string once = original, twice = original;
  const scan_outcome whole = scan(once, once.size(), limits);
  const scan_outcome parts = scan(twice, split % (twice.size() + 1), limits);
  check(whole == parts, "scanning in two parts gives the same outcome as in one");
  if (whole.state != http::head_scanner::state::complete) return 0;

  http::request_parser parser(limits);
  http::request_head head;
  const auto rejection = parser.parse(once.data() + whole.prefix, whole.length, head);
  if (rejection) {
    check(rejection->status >= 400 && rejection->status < 600, "a rejection is a 4xx or 5xx");
    return 0;
  }
  check_head(head, once);
  read_body(head, std::string_view(once).substr(whole.prefix + whole.length), limits);
  return 0;
}
