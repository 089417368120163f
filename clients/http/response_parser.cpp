#include "cogi/clients/http/response_parser.hpp"

#include <string>

#include "cogi/clients/http/errors.hpp"
#include "cogi/clients/http/token.hpp"

namespace cogi::fetch {
namespace {

response_parser& self(llhttp_t* parser) { return *static_cast<response_parser*>(parser->data); }

// What a head's size counts for its status line besides the reason ("HTTP/1.1 200 " and
// CRLF): counted once, so that the count is the same however the bytes arrive.
constexpr std::size_t status_line_bytes = 16;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::optional<std::string_view> response_head::find(std::string_view name) const {
  for (const header& h : headers) {
    if (equals_ignoring_case(h.name, name)) return h.value;
  }
  return std::nullopt;
}

std::string response_head::joined(std::string_view name) const {
  std::string out;
  for (const header& h : headers) {
    if (!equals_ignoring_case(h.name, name)) continue;
    if (!out.empty()) out += ", ";
    out += h.value;
  }
  return out;
}

response_parser::response_parser(const parse_limits& limits) : limits_(limits) {
  llhttp_settings_init(&settings_);
  settings_.on_status = &on_status;
  settings_.on_header_field = &on_header_field;
  settings_.on_header_value = &on_header_value;
  settings_.on_headers_complete = &on_headers_complete;
  settings_.on_body = &on_body;
  settings_.on_message_complete = &on_message_complete;
  start(false);
}

void response_parser::start(bool head_request, std::size_t max_body_size) {
  llhttp_init(&parser_, HTTP_RESPONSE, &settings_);
  max_body_size_ = max_body_size > 0 ? max_body_size : limits_.max_body_size;
  parser_.data = this;
  head_ = response_head{};
  head_request_ = head_request;
  head_bytes_ = status_line_bytes;
  body_bytes_ = 0;
  in_value_ = false;
  head_complete_ = false;
  complete_ = false;
  keep_alive_ = false;
  failure_ = nullptr;
  too_large_ = false;
  chunked_ = false;
  crlf_pending_ = 0;
}

std::size_t response_parser::feed(std::string_view input, std::string& body) {
  if (complete_) return 0;
  // The CRLF after a chunk's data, cut off by the end of the last input: llhttp (8.1,
  // not built in its strict mode) skips those two bytes unchecked.
  if (crlf_pending_ > 0 && !check_crlf(input.data(), input.data() + input.size())) {
    throw malformed_response("malformed response: a chunk's data is not followed by CRLF");
  }
  body_ = &body;
  input_end_ = input.data() + input.size();
  const llhttp_errno_t code = llhttp_execute(&parser_, input.data(), input.size());
  body_ = nullptr;
  if (code == HPE_OK) return input.size();
  if (code == HPE_PAUSED && complete_) return static_cast<std::size_t>(llhttp_get_error_pos(&parser_) - input.data());
  fail(code);
}

void response_parser::finish() {
  if (complete_) return;
  if (head_complete_ && llhttp_message_needs_eof(&parser_) != 0) {
    const llhttp_errno_t code = llhttp_finish(&parser_);
    if (code != HPE_OK && !(code == HPE_PAUSED && complete_)) fail(code);
    if (complete_) return;
  }
  throw connection_error(head_complete_ ? "the connection closed in the middle of the response's body"
                                        : "the connection closed before a complete response head");
}

bool response_parser::body_ends_with_connection() const {
  return head_complete_ && !complete_ && llhttp_message_needs_eof(&parser_) != 0;
}

void response_parser::fail(llhttp_errno_t code) {
  if (too_large_) throw response_too_large(failure_);
  std::string what = "malformed response: ";
  const char* reason = failure_ != nullptr ? failure_ : llhttp_get_error_reason(&parser_);
  what += reason != nullptr ? reason : llhttp_errno_name(code);
  throw malformed_response(what);
}

bool response_parser::count_head_bytes(std::size_t n) {
  head_bytes_ += n;
  if (head_bytes_ <= limits_.max_head_size) return true;
  failure_ = "the response head is larger than max_head_size";
  too_large_ = true;
  return false;
}

int response_parser::on_status(llhttp_t* parser, const char* at, std::size_t length) {
  response_parser& me = self(parser);
  if (!me.count_head_bytes(length)) return -1;
  me.head_.reason.append(at, length);
  return 0;
}

int response_parser::on_header_field(llhttp_t* parser, const char* at, std::size_t length) {
  response_parser& me = self(parser);
  if (!me.count_head_bytes(length)) return -1;
  auto& headers = me.head_.headers;
  if (me.in_value_ || headers.empty()) {
    if (headers.size() >= me.limits_.max_header_count) {
      me.failure_ = "the response has more header fields than max_header_count";
      me.too_large_ = true;
      return -1;
    }
    headers.emplace_back();
    me.in_value_ = false;
    me.head_bytes_ += 4;  // ": " and CRLF
  }
  for (std::size_t i = 0; i < length; ++i) {
    if (!is_token_char(at[i])) {
      me.failure_ = "a header field name that is not a token (whitespace before ':'?)";
      return -1;
    }
  }
  headers.back().name.append(at, length);
  return 0;
}

int response_parser::on_header_value(llhttp_t* parser, const char* at, std::size_t length) {
  response_parser& me = self(parser);
  if (!me.count_head_bytes(length)) return -1;
  me.in_value_ = true;
  me.head_.headers.back().value.append(at, length);
  return 0;
}

int response_parser::on_headers_complete(llhttp_t* parser) {
  response_parser& me = self(parser);
  me.head_.status = parser->status_code;
  me.head_.version_minor = parser->http_minor;
  if (parser->http_major != 1) {
    me.failure_ = "not an HTTP/1.x response";
    return -1;
  }
  if (me.head_.status < 100) {
    me.failure_ = "a status code below 100";
    return -1;
  }
  if (me.head_.status == 101) {
    me.failure_ = "101 Switching Protocols to a request that asked for no upgrade";
    return -1;
  }
  if (me.head_.status >= 100 && me.head_.status < 200) return 0;  // interim: its message ends here
  me.head_complete_ = true;
  me.chunked_ = (parser->flags & F_CHUNKED) != 0;
  return me.head_request_ ? 1 : 0;  // 1: no body, whatever Content-Length says
}

int response_parser::on_body(llhttp_t* parser, const char* at, std::size_t length) {
  response_parser& me = self(parser);
  me.body_bytes_ += length;
  if (me.body_bytes_ > me.max_body_size_) {
    me.failure_ = "the response body is larger than max_body_size";
    me.too_large_ = true;
    return -1;
  }
  me.body_->append(at, length);
  if (me.chunked_ && parser->content_length == 0) {
    // The chunk's data ends here: CRLF must follow (RFC 9112 section 7.1).
    me.crlf_pending_ = 2;
    if (!me.check_crlf(at + length, me.input_end_)) {
      me.failure_ = "a chunk's data is not followed by CRLF";
      return -1;
    }
  }
  return 0;
}

bool response_parser::check_crlf(const char* at, const char* end) {
  for (; crlf_pending_ > 0 && at < end; ++at, --crlf_pending_) {
    if (*at != (crlf_pending_ == 2 ? '\r' : '\n')) return false;
  }
  return true;
}

int response_parser::on_message_complete(llhttp_t* parser) {
  response_parser& me = self(parser);
  if (!me.head_complete_) {
    // An interim response (100 Continue, 103 Early Hints): the real one follows.
    me.head_ = response_head{};
    me.head_bytes_ = status_line_bytes;
    me.in_value_ = false;
    return 0;
  }
  me.complete_ = true;
  me.keep_alive_ = llhttp_should_keep_alive(parser) != 0;
  return HPE_PAUSED;
}

}  // namespace cogi::fetch
