// Differential: whatever cogi accepts, llhttp (the parser Node.js uses, here without
// cogi's checks around it) reads the same way: the same method, target, header fields
// in order, the same body framing and, where cogi's body reader finishes the body, the
// same body bytes and the same end of the message. Two parsers that agree on every
// request cogi serves leave no gap for a request to be smuggled between cogi and a
// proxy built on llhttp.

#include <string>
#include <vector>

#include <llhttp.h>

#include "cogi/server/http/body_reader.hpp"
#include "cogi/server/http/head_scanner.hpp"
#include "cogi/server/http/request_parser.hpp"
#include "cogi/server/http/validation.hpp"
#include "tests/fuzz/fuzz_input.hpp"

using namespace cogi;
using cogi::fuzz::check;

namespace {

// What llhttp reported for the first message in the input.
struct llhttp_view {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  bool in_value = false;
  bool headers_done = false;
  std::string body;
  bool message_done = false;
  std::size_t message_end = 0;  // bytes up to the end of the first message
  const char* base = nullptr;
};

llhttp_view& view_of(llhttp_t* p) { return *static_cast<llhttp_view*>(p->data); }

int on_url(llhttp_t* p, const char* at, std::size_t n) {
  view_of(p).url.append(at, n);
  return 0;
}
int on_field(llhttp_t* p, const char* at, std::size_t n) {
  auto& v = view_of(p);
  if (v.headers_done) return 0;  // a chunked body's trailer fields: not part of the head
  if (v.headers.empty() || v.in_value) v.headers.emplace_back();
  v.in_value = false;
  v.headers.back().first.append(at, n);
  return 0;
}
int on_value(llhttp_t* p, const char* at, std::size_t n) {
  auto& v = view_of(p);
  if (v.headers_done) return 0;
  v.in_value = true;
  v.headers.back().second.append(at, n);
  return 0;
}
int on_headers_complete(llhttp_t* p) {
  view_of(p).headers_done = true;
  return 0;
}
int on_body(llhttp_t* p, const char* at, std::size_t n) {
  view_of(p).body.append(at, n);
  return 0;
}
int on_message_complete(llhttp_t* p) {
  view_of(p).message_done = true;
  return HPE_PAUSED;  // the first message only
}

std::string trim(std::string_view text) { return std::string(http::trim_ows(text)); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const http::limits limits;
  std::string buffer(reinterpret_cast<const char*>(data), size);

  http::head_scanner scanner(limits);
  if (scanner.scan(buffer.data(), buffer.size()) != http::head_scanner::state::complete) return 0;
  http::request_parser parser(limits);
  http::request_head head;
  const std::size_t head_start = scanner.prefix_length();
  const std::size_t head_end = head_start + scanner.head_length();
  // Parse a copy: the parser lower-cases field names in place, llhttp gets the bytes
  // as sent (after the scanner's one rewrite, HTTP/1.x > 1 to 1.1).
  std::string for_cogi = buffer;
  if (parser.parse(for_cogi.data() + head_start, scanner.head_length(), head)) return 0;

  // cogi's body, as far as the input goes.
  http::body_reader body;
  body.reset(head, 0, limits.max_header_bytes);
  std::string cogi_body;
  std::string_view rest = std::string_view(for_cogi).substr(head_end);
  std::size_t body_bytes = 0;
  bool body_ok = true;
  while (!body.done()) {
    const auto piece = body.next(rest);
    rest.remove_prefix(piece.consumed);
    body_bytes += piece.consumed;
    if (piece.state == http::piece_status::data) cogi_body.append(piece.data);
    if (piece.state == http::piece_status::rejected || piece.state == http::piece_status::need_more) {
      body_ok = false;
      break;
    }
  }

  llhttp_settings_t settings;
  llhttp_settings_init(&settings);
  settings.on_url = on_url;
  settings.on_header_field = on_field;
  settings.on_header_value = on_value;
  settings.on_headers_complete = on_headers_complete;
  settings.on_body = on_body;
  settings.on_message_complete = on_message_complete;
  llhttp_t theirs;
  llhttp_init(&theirs, HTTP_REQUEST, &settings);
  llhttp_view view;
  theirs.data = &view;
  const char* start = buffer.data() + head_start;
  const llhttp_errno_t status = llhttp_execute(&theirs, start, buffer.size() - head_start);
  check(view.headers_done, "llhttp reads the whole head cogi accepted");
  check(status == HPE_OK || status == HPE_PAUSED || !body_ok, "llhttp accepts what cogi accepts");

  check(llhttp_method_name(static_cast<llhttp_method_t>(theirs.method)) == head.method, "same method");
  check(view.url == head.target, "same target");
  check(view.headers.size() == head.headers.size(), "same number of fields");
  for (std::size_t i = 0; i < head.headers.size() && i < view.headers.size(); ++i) {
    check(http::iequals(view.headers[i].first, head.headers[i].name), "same field name");
    check(trim(view.headers[i].second) == head.headers[i].value, "same field value");
  }
  const bool chunked = (theirs.flags & F_CHUNKED) != 0;
  check(chunked == (head.framing == http::body_framing::chunked), "same framing: chunked");
  if (head.framing == http::body_framing::content_length)
    check((theirs.flags & F_CONTENT_LENGTH) != 0, "same framing: Content-Length");
  if (body_ok) {
    check(view.message_done, "llhttp ends the message where cogi does");
    check(view.body == cogi_body, "same body bytes");
    const std::size_t llhttp_end = static_cast<std::size_t>(llhttp_get_error_pos(&theirs) - start);
    check(llhttp_end == scanner.head_length() + body_bytes, "the next message starts at the same byte");
  }
  return 0;
}
