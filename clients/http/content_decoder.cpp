#include "cogi/clients/http/content_decoder.hpp"

#include <new>

#include <zlib.h>

#include "cogi/clients/http/errors.hpp"

namespace cogi::fetch {
namespace {

constexpr int gzip_window = 16 + MAX_WBITS;  // zlib's "gzip wrapper" window bits
constexpr int zlib_window = MAX_WBITS;
constexpr int raw_window = -MAX_WBITS;

std::string lowercase_trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

struct content_decoder::stream {
  z_stream z{};
  bool initialised = false;
  ~stream() {
    if (initialised) inflateEnd(&z);
  }
};

std::optional<content_decoder::coding> content_decoder::from_header(std::string_view content_encoding) {
  const std::string value = lowercase_trimmed(content_encoding);
  if (value.empty() || value == "identity") return coding::identity;
  if (value == "gzip" || value == "x-gzip") return coding::gzip;
  if (value == "deflate") return coding::deflate;
  return std::nullopt;
}

content_decoder::content_decoder(coding kind, std::size_t max_output) : kind_(kind), max_output_(max_output) {
  if (kind_ == coding::identity) return;
  zlib_ = std::make_unique<stream>();
  reset_stream(kind_ == coding::gzip ? gzip_window : zlib_window);
}

content_decoder::~content_decoder() = default;

void content_decoder::reset_stream(int window_bits) {
  if (zlib_->initialised) inflateEnd(&zlib_->z);
  zlib_->z = z_stream{};
  zlib_->initialised = inflateInit2(&zlib_->z, window_bits) == Z_OK;
  if (!zlib_->initialised) throw std::bad_alloc();
}

void content_decoder::decode(std::string_view input, std::string& out) {
  if (input.empty()) return;
  if (kind_ == coding::identity) {
    produced_ += input.size();
    if (produced_ > max_output_) throw response_too_large("the response body is larger than max_body_size");
    out.append(input);
    return;
  }
  z_stream& z = zlib_->z;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z.avail_in = static_cast<uInt>(input.size());
  const bool first_input = !started_;
  started_ = true;
  // Round until the input is taken and the last round left room in its output (zlib
  // holds back what did not fit).
  bool more = true;
  while (more) {
    if (ended_) {
      if (z.avail_in == 0) break;
      // Another gzip member follows the last (RFC 1952 section 2.2); deflate has one.
      if (kind_ != coding::gzip) throw malformed_response("malformed response: data after the end of the deflate stream");
      inflateReset(&z);
      ended_ = false;
    }
    char chunk[16 * 1024];
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof(chunk);
    const int rc = inflate(&z, Z_NO_FLUSH);
    if (rc == Z_DATA_ERROR && kind_ == coding::deflate && first_input && !raw_deflate_ && produced_ == 0) {
      // Not the zlib format: try the same bytes as a raw deflate stream.
      raw_deflate_ = true;
      reset_stream(raw_window);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
      z.avail_in = static_cast<uInt>(input.size());
      continue;
    }
    if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_STREAM_ERROR) {
      throw malformed_response(std::string("malformed response: the body does not decode (") +
                               (z.msg != nullptr ? z.msg : "corrupt data") + ")");
    }
    if (rc == Z_MEM_ERROR) throw std::bad_alloc();
    const std::size_t n = sizeof(chunk) - z.avail_out;
    produced_ += n;
    if (produced_ > max_output_) throw response_too_large("the response body inflates past max_body_size");
    out.append(chunk, n);
    more = z.avail_in > 0 || z.avail_out == 0;
    if (rc == Z_STREAM_END) {
      ended_ = true;
      more = z.avail_in > 0;
    }
    if (rc == Z_BUF_ERROR) break;  // no progress possible without more input
  }
}

void content_decoder::finish() {
  if (kind_ == coding::identity || !started_) return;
  // Output zlib still holds (its window) comes out only with more input; none will come.
  if (!ended_) throw malformed_response("malformed response: the compressed body ends early");
}

}  // namespace cogi::fetch
