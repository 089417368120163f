#pragma once
// Undoes a response's Content-Encoding (gzip, deflate) with zlib, as the body arrives,
// within a limit on what it inflates to (a small gzip can inflate to gigabytes).
// Several gzip members one after another decode as one body (RFC 1952). "deflate" is
// the zlib format (RFC 9110 section 8.4.1.2); a raw deflate stream, which some servers
// send instead, is accepted too.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cogi::fetch {

class content_decoder {
 public:
  enum class coding { identity, gzip, deflate };
  // What a Content-Encoding field asks for: nullopt when it is a coding we cannot undo
  // (br, zstd, or several codings), in which case the body is left as it came.
  static std::optional<coding> from_header(std::string_view content_encoding);

  content_decoder(coding kind, std::size_t max_output);
  ~content_decoder();
  content_decoder(const content_decoder&) = delete;
  content_decoder& operator=(const content_decoder&) = delete;

  // Appends what `input` decodes to. Throws malformed_response (corrupt data) or
  // response_too_large (past max_output).
  void decode(std::string_view input, std::string& out);
  // The body ended: throws malformed_response if the compressed stream did not.
  void finish();
  std::size_t output_size() const { return produced_; }

 private:
  struct stream;
  void reset_stream(int window_bits);
  coding kind_;
  std::size_t max_output_;
  std::size_t produced_ = 0;
  std::unique_ptr<stream> zlib_;
  bool started_ = false;
  bool ended_ = false;  // the last member's end was seen, and nothing followed yet
  bool raw_deflate_ = false;
};

}  // namespace cogi::fetch
