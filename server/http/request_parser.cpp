#include "cogi/server/http/request_parser.hpp"

#include <algorithm>

#include "cogi/server/http/validation.hpp"

namespace cogi::http {
namespace {

request_parser& self(llhttp_t* parser) { return *static_cast<request_parser*>(parser->data); }

// Extends a view by a fragment that continues it in the same buffer. llhttp is given the
// whole head at once, so a field arrives as one span; anything else is treated as
// malformed rather than stitched together.
bool extend(std::string_view& view, const char* at, std::size_t length) {
  if (view.data() == nullptr) {
    view = {at, length};
    return true;
  }
  if (view.data() + view.size() != at) return false;
  view = {view.data(), view.size() + length};
  return true;
}

std::string_view trim_trailing_whitespace(std::string_view value) {
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return value;
}

// Splits the request target into path and query (RFC 9112 §3.2): origin-form "/p?q",
// absolute-form "http://host/p?q" (path defaults to "/"), asterisk-form "*".
bool split_target(request_head& head) {
  std::string_view target = head.target;
  if (target.find('#') != std::string_view::npos) return false;  // no fragments on the wire
  if (target == "*") {
    head.raw_path = target;
    return head.method == "OPTIONS";
  }
  if (!target.starts_with('/')) {
    const auto scheme_end = target.find("://");
    if (scheme_end == std::string_view::npos) return false;
    const auto path_start = target.find_first_of("/?", scheme_end + 3);
    target = path_start == std::string_view::npos ? std::string_view{} : target.substr(path_start);
  }
  const auto question = target.find('?');
  head.raw_path = target.substr(0, question);
  if (head.raw_path.empty()) head.raw_path = "/";
  head.query_string = question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
  return true;
}

}  // namespace

request_parser::request_parser(const limits& limits) : limits_(&limits) {
  llhttp_settings_init(&settings_);
  settings_.on_url = &on_url;
  settings_.on_header_field = &on_header_field;
  settings_.on_header_value = &on_header_value;
  settings_.on_headers_complete = &on_headers_complete;
  llhttp_init(&parser_, HTTP_REQUEST, &settings_);
  parser_.data = this;
}

int request_parser::on_url(llhttp_t* parser, const char* at, std::size_t length) {
  return extend(self(parser).current_->target, at, length) ? 0 : -1;
}

int request_parser::on_header_field(llhttp_t* parser, const char* at, std::size_t length) {
  auto& me = self(parser);
  auto& headers = me.current_->headers;
  if (me.in_value_ || headers.empty()) {
    headers.push_back({});
    me.in_value_ = false;
  }
  return extend(headers.back().name, at, length) ? 0 : -1;
}

int request_parser::on_header_value(llhttp_t* parser, const char* at, std::size_t length) {
  auto& me = self(parser);
  me.in_value_ = true;
  return extend(me.current_->headers.back().value, at, length) ? 0 : -1;
}

int request_parser::on_headers_complete(llhttp_t* parser) {
  // Stop here: the body is framed by the connection (content-length or chunked_decoder).
  (void)parser;
  return HPE_PAUSED;
}

std::optional<rejection> request_parser::parse(char* head, std::size_t length, request_head& out) {
  auto headers = std::move(out.headers);  // keep the vector's capacity across requests
  headers.clear();
  out = request_head{};
  out.headers = std::move(headers);
  current_ = &out;
  in_value_ = false;
  llhttp_reset(&parser_);

  const llhttp_errno_t status = llhttp_execute(&parser_, head, length);
  if (status != HPE_PAUSED) {
    if (status == HPE_OK) return rejection{400, "Incomplete request head"};
    if (status == HPE_INVALID_METHOD) {
      // A well-formed method llhttp does not know is not implemented, not malformed.
      const std::string_view line(head, length);
      if (is_token(line.substr(0, line.find(' ')))) return rejection{501, "Method Not Implemented"};
      return rejection{400, "Invalid method"};
    }
    return rejection{400, llhttp_get_error_reason(&parser_)};
  }
  if (llhttp_get_error_pos(&parser_) != head + length) return rejection{400, "Malformed request head"};

  out.method = llhttp_method_name(static_cast<llhttp_method_t>(parser_.method));
  out.version_minor = parser_.http_minor;
  out.keep_alive = llhttp_should_keep_alive(&parser_) != 0;
  if (parser_.flags & F_CHUNKED) {
    out.framing = body_framing::chunked;
  } else if (parser_.flags & F_CONTENT_LENGTH) {
    out.framing = body_framing::content_length;
    out.content_length = parser_.content_length;
  }
  return check(out);
}

std::optional<rejection> request_parser::check(request_head& out) {
  if (out.method == "CONNECT") return rejection{501, "CONNECT is not supported"};
  // llhttp 8.1 lets bytes above 0x7f through in the target; a URI has none (RFC 3986),
  // and "fixing" them is how filters get bypassed (RFC 9112 §3).
  for (unsigned char c : out.target)
    if (c > 0x7e) return rejection{400, "Invalid request target"};
  if (!split_target(out)) return rejection{400, "Invalid request target"};
  // The target's length was checked by the head_scanner, before llhttp saw it.

  std::size_t hosts = 0;
  bool has_transfer_encoding = false;
  for (auto& field : out.headers) {
    if (!is_token(field.name)) return rejection{400, "Invalid header field name"};
    // Control bytes in values are rejected by llhttp itself ("Invalid header value
    // char"); a bare CR it lets through is caught by the head_scanner.
    field.value = trim_trailing_whitespace(field.value);
    // Lower-case in place: the buffer is ours and the scope promises lower-case names.
    auto* name = const_cast<char*>(field.name.data());
    std::transform(name, name + field.name.size(), name, ascii_lower);

    if (field.name == "host") {
      if (++hosts > 1) return rejection{400, "More than one Host header"};
      if (!is_valid_host(field.value)) return rejection{400, "Invalid Host header"};
    } else if (field.name == "transfer-encoding") {
      has_transfer_encoding = true;
    } else if (field.name == "expect") {
      if (!iequals(field.value, "100-continue")) return rejection{417, "Expectation Failed"};
      out.expect_continue = true;
    }
  }
  if (out.version_minor == 1 && hosts == 0) return rejection{400, "Missing Host header"};
  // llhttp reports a final coding other than chunked only after on_headers_complete,
  // where it is paused: RFC 9112 §6.3 makes such a request body unframeable.
  if (has_transfer_encoding && out.framing != body_framing::chunked)
    return rejection{400, "Transfer-Encoding must end in chunked"};
  // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 request means the framing is faulty.
  if (has_transfer_encoding && out.version_minor == 0)
    return rejection{400, "Transfer-Encoding in an HTTP/1.0 request"};
  // 100-continue is meaningless without a body; HTTP/1.0 clients cannot expect it.
  if (out.version_minor == 0) out.expect_continue = false;
  // 413 from Content-Length alone, before a byte of the body is read.
  if (limits_->max_body_bytes != 0 && out.framing == body_framing::content_length &&
      out.content_length > limits_->max_body_bytes)
    return rejection{413, "Request body too large"};
  return std::nullopt;
}

}  // namespace cogi::http
