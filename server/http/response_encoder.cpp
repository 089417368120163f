#include "cogi/server/http/response_encoder.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "cogi/server/contract/errors.hpp"
#include "cogi/server/http/date_cache.hpp"
#include "cogi/server/http/status.hpp"
#include "cogi/server/http/validation.hpp"

namespace cogi::http {
namespace {

// Whether a header name could be one the encoder must look at (content-length,
// transfer-encoding, connection, date, server): a cheap length test first.
bool may_be_special(std::string_view name) {
  switch (name.size()) {
    case 4:   // date
    case 6:   // server
    case 10:  // connection
    case 14:  // content-length
    case 17:  // transfer-encoding
      return true;
    default:
      return false;
  }
}

void append_number(std::string& out, std::uint64_t value, int base = 10) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value, base).ptr;
  out.append(digits, end);
}

std::optional<std::uint64_t> parse_length(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

constexpr std::string_view crlf = "\r\n";
constexpr std::string_view last_chunk = "0\r\n\r\n";
constexpr std::string_view chunk_end_and_last_chunk = "\r\n0\r\n\r\n";

}  // namespace

void response_encoder::reset(const request_info& info) {
  info_ = info;
  head_.clear();
  status_ = 0;
  started_ = head_done_ = finished_ = chunked_ = no_body_ = false;
  declared_length_.reset();
  sent_ = 0;
}

void response_encoder::start(int status, std::span<const header_field> headers) {
  if (started_) throw protocol_error("http.response.start sent twice");
  if (status < 100 || status > 999) throw protocol_error("invalid response status");
  if (status < 200) throw protocol_error("informational responses are sent by the server");

  bool has_date = false;
  bool has_server = false;
  for (const auto& h : headers) {
    if (!is_token(h.name)) throw protocol_error("invalid response header name");
    if (!is_safe_field_value(h.value)) throw protocol_error("invalid response header value");
    if (!may_be_special(h.name)) continue;
    if (iequals(h.name, "content-length")) {
      auto length = parse_length(h.value);
      if (!length || (declared_length_ && *declared_length_ != *length))
        throw protocol_error("invalid content-length in response");
      declared_length_ = length;
    } else if (iequals(h.name, "transfer-encoding")) {
      throw protocol_error("transfer-encoding is chosen by the server");
    } else if (iequals(h.name, "connection")) {
      if (iequals(h.value, "close")) info_.keep_alive = false;
    } else if (iequals(h.name, "date")) {
      has_date = true;
    } else if (iequals(h.name, "server")) {
      has_server = true;
    }
  }

  started_ = true;
  status_ = status;
  no_body_ = status_forbids_body(status) || info_.head_request;

  std::string& out = head_;
  out.append("HTTP/1.1 ");
  append_number(out, static_cast<std::uint64_t>(status));
  out.push_back(' ');
  out.append(reason_phrase(status));
  out.append(crlf);
  for (const auto& h : headers) {
    // connection is written once below, from the server's final decision.
    if (h.name.size() == 10 && iequals(h.name, "connection")) continue;
    out.append(h.name).append(": ").append(h.value).append(crlf);
  }
  if (!has_date && !has_server) {
    out.append(date_and_server_lines());
  } else {
    if (!has_date) out.append("date: ").append(http_date_now()).append(crlf);
    if (!has_server) out.append("server: cogi\r\n");
  }
}

void response_encoder::finish_head(std::string& out, std::string_view first_body, bool more_body) {
  head_done_ = true;
  out.append(head_);
  const bool body_allowed = !status_forbids_body(status_);
  if (!declared_length_ && body_allowed) {
    if (info_.head_request) {
      // RFC 9110 §8.6: a HEAD response carries Content-Length only if it equals what GET
      // would send. A whole body given in one event is that; an empty or streamed one
      // says nothing about it (apps skip the body of a HEAD), so no length at all.
      if (!more_body && !first_body.empty()) {
        out.append("content-length: ");
        append_number(out, first_body.size());
        out.append(crlf);
      }
    } else if (!more_body) {
      // Everything arrived in one event: frame it with a length.
      declared_length_ = first_body.size();
      out.append("content-length: ");
      append_number(out, first_body.size());
      out.append(crlf);
    } else if (info_.version_minor >= 1) {
      chunked_ = true;
      out.append("transfer-encoding: chunked\r\n");
    } else {
      info_.keep_alive = false;  // HTTP/1.0 has no chunked coding: the close ends the body
    }
  }
  if (!info_.keep_alive) out.append("connection: close\r\n");
  else if (info_.version_minor == 0) out.append("connection: keep-alive\r\n");
  out.append(crlf);
}

response_encoder::piece response_encoder::body(std::string& out, std::string_view data, bool more_body) {
  if (!started_) throw protocol_error("http.response.body before http.response.start");
  if (finished_) throw protocol_error("http.response.body after the final body");
  // Checked before the head goes out: a first body that breaks the app's own length can
  // still become a 500.
  if (!no_body_ && declared_length_ && sent_ + data.size() > *declared_length_)
    throw protocol_error("response body longer than its content-length");
  if (!head_done_) finish_head(out, data, more_body);
  finished_ = !more_body;

  if (no_body_) return {};  // HEAD, 204, 304: the head only
  sent_ += data.size();
  if (finished_ && declared_length_ && sent_ < *declared_length_)
    info_.keep_alive = false;  // a short body leaves the framing in doubt: close after it

  if (!chunked_) return {data, {}};
  if (!data.empty()) {
    append_number(out, data.size(), 16);
    out.append(crlf);
    return {data, finished_ ? chunk_end_and_last_chunk : crlf};
  }
  return {{}, finished_ ? last_chunk : std::string_view{}};
}

void append_error_response(std::string& out, int status, std::string_view text, bool keep_alive,
                           bool head_request, std::span<const header_field> extra_headers) {
  response_encoder encoder;
  encoder.reset({.version_minor = 1, .head_request = head_request, .keep_alive = keep_alive});
  std::array<header_field, 1 + max_rejection_headers> headers{{{"content-type", "text/plain; charset=utf-8"}}};
  const std::size_t extra = std::min(extra_headers.size(), max_rejection_headers);
  std::copy_n(extra_headers.begin(), extra, headers.begin() + 1);
  encoder.start(status, std::span(headers.data(), 1 + extra));
  const auto piece = encoder.body(out, text, false);
  out.append(piece.data).append(piece.suffix);
}

void append_rejection(std::string& out, const rejection& refused) {
  std::string text(refused.reason);
  text.push_back('\n');
  append_error_response(out, refused.status, text, false, false, refused.headers);
}

}  // namespace cogi::http
