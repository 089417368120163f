#include "cogi/server/http/chunked_decoder.hpp"

#include <algorithm>

#include "cogi/server/http/validation.hpp"

namespace cogi::http {

void chunked_decoder::note_trailer_name(char c) {
  if (trailer_name_length_ < trailer_name_.size()) trailer_name_[trailer_name_length_] = ascii_lower(c);
  ++trailer_name_length_;
}

bool chunked_decoder::forbidden_trailer() const {
  // RFC 9110 §6.5.1: fields that frame or route the message cannot come after the
  // content. A trailer that tries (Transfer-Encoding, Content-Length, Host) is a
  // smuggling attempt, and parsers disagree on it (llhttp 8.1 refuses a second
  // Transfer-Encoding there): refused.
  if (trailer_name_length_ > trailer_name_.size()) return false;
  const std::string_view name(trailer_name_.data(), trailer_name_length_);
  return name == "transfer-encoding" || name == "content-length" || name == "host";
}
namespace {

// Extensions are allowed by the grammar but carry nothing cogi uses; bound them so a
// client cannot make the server scan without end (cf. CVE-2023-39326 in Go).
constexpr std::size_t max_extension_bytes = 4096;

bool is_control(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

}  // namespace

chunked_decoder::result chunked_decoder::reject(std::size_t consumed, std::string_view reason) {
  state_ = state::rejected;
  error_ = {400, reason};
  return {status::rejected, consumed, {}};
}

bool chunked_decoder::extension_byte(char c) {
  // The part of RFC 9112's chunk-ext grammar that llhttp 8.1 also reads the same way
  // (the differential fuzzer holds cogi to that: two parsers that disagree leave room to
  // smuggle a request): ";name", ";name=token" or ';name="text"', repeated; no
  // whitespace (BWS) anywhere on the line, no quoted-pair escapes, and nothing after a
  // token value but the end of the line (llhttp 8.1 refuses ";a=b;c"). No client sends
  // more; extensions carry nothing cogi uses.
  const auto byte = static_cast<unsigned char>(c);
  const bool token = is_token_char(byte);
  switch (state_) {
    case state::ext_before_name:
      if (!token) return false;
      state_ = state::ext_name;
      return true;
    case state::ext_name:
      if (token) return true;
      if (c == '=') state_ = state::ext_before_value;
      else if (c == ';') state_ = state::ext_before_name;
      else if (c == '\r') state_ = state::size_lf;
      else return false;
      return true;
    case state::ext_before_value:
      if (c == '"') state_ = state::ext_quoted_value;
      else if (token) state_ = state::ext_token_value;
      else return false;
      return true;
    case state::ext_token_value:
      if (token) return true;
      if (c != '\r') return false;
      state_ = state::size_lf;
      return true;
    case state::ext_quoted_value:
      // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text (RFC 9110 §5.6.4)
      if (c == '"') state_ = state::ext_after_value;
      else return c == '\t' || c == ' ' || (byte >= 0x21 && byte != '\\' && byte != 0x7f);
      return true;
    case state::ext_after_value:
      if (c == ';') state_ = state::ext_before_name;
      else if (c == '\r') state_ = state::size_lf;
      else return false;
      return true;
    default:
      return false;
  }
}

chunked_decoder::result chunked_decoder::decode(std::string_view input) {
  std::size_t i = 0;
  while (i < input.size()) {
    const char c = input[i];
    switch (state_) {
      case state::size: {
        const int digit = hex_value(c);
        if (digit >= 0) {
          if (++size_digits_ > 16) return reject(i, "Chunk size overflow");
          chunk_remaining_ = chunk_remaining_ << 4 | static_cast<unsigned>(digit);
        } else if (size_digits_ == 0) {
          return reject(i, "Invalid chunk size");
        } else if (c == '\r') {
          state_ = state::size_lf;
        } else if (c == ';') {
          state_ = state::ext_before_name;
        } else {
          return reject(i, "Invalid chunk size");  // whitespace included: see extension_byte()
        }
        ++i;
        break;
      }
      case state::ext_before_name:
      case state::ext_name:
      case state::ext_before_value:
      case state::ext_token_value:
      case state::ext_quoted_value:
      case state::ext_after_value:
        if (++extension_bytes_ > max_extension_bytes) return reject(i, "Chunk extension too long");
        if (!extension_byte(c)) return reject(i, "Invalid chunk extension");
        ++i;
        break;
      case state::size_lf:
        if (c != '\n') return reject(i, "Expected LF after chunk size");
        ++i;
        extension_bytes_ = 0;
        size_digits_ = 0;
        state_ = chunk_remaining_ == 0 ? state::trailer_line_start : state::data;
        break;
      case state::data: {
        const auto take = static_cast<std::size_t>(
            std::min<std::uint64_t>(chunk_remaining_, input.size() - i));
        chunk_remaining_ -= take;
        std::size_t consumed = i + take;
        if (chunk_remaining_ == 0) {
          state_ = state::data_cr;
          // When the chunk's CRLF has already arrived, check it before handing out the
          // data, so that a bad terminator is refused before the app sees any of it.
          if (input.size() - consumed >= 2) {
            if (input.substr(consumed, 2) != "\r\n") return reject(consumed, "Expected CRLF after chunk data");
            consumed += 2;
            state_ = state::size;
          }
        }
        return {status::data, consumed, input.substr(i, take)};
      }
      case state::data_cr:
        if (c != '\r') return reject(i, "Expected CRLF after chunk data");
        state_ = state::data_lf;
        ++i;
        break;
      case state::data_lf:
        if (c != '\n') return reject(i, "Expected CRLF after chunk data");
        state_ = state::size;
        ++i;
        break;
      case state::trailer_line_start:
        if (c == '\r') {
          state_ = state::final_lf;
        } else if (c == ' ' || c == '\t') {
          return reject(i, "Obsolete line folding in trailer");
        } else if (is_token_char(static_cast<unsigned char>(c))) {
          state_ = state::trailer_name;
          trailer_name_length_ = 0;
          note_trailer_name(c);
        } else {
          return reject(i, "Invalid trailer field name");
        }
        ++i;
        break;
      case state::trailer_name:
        if (c == ':') {
          if (forbidden_trailer()) return reject(i, "Framing or routing field in trailer");
          state_ = state::trailer_value;
        } else if (is_token_char(static_cast<unsigned char>(c))) {
          note_trailer_name(c);
        } else {
          return reject(i, "Invalid trailer field name");
        }
        ++i;
        break;
      case state::trailer_value:
        if (c == '\r') state_ = state::trailer_lf;
        else if (is_control(static_cast<unsigned char>(c))) return reject(i, "Invalid trailer field value");
        ++i;
        break;
      case state::trailer_lf:
        if (c != '\n') return reject(i, "Expected LF after trailer field");
        state_ = state::trailer_line_start;
        ++i;
        break;
      case state::final_lf:
        if (c != '\n') return reject(i, "Expected LF after trailer section");
        state_ = state::done;
        return {status::done, i + 1, {}};
      case state::done:
        return {status::done, i, {}};
      case state::rejected:
        return {status::rejected, i, {}};
    }
    if (state_ >= state::trailer_line_start && ++trailer_bytes_ > max_trailer_bytes_)
      return reject(i, "Trailer section too large");
  }
  if (state_ == state::done) return {status::done, i, {}};
  return {status::need_more, i, {}};
}

}  // namespace cogi::http
