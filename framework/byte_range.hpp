#pragma once
// The Range request header for bytes (RFC 9110 §14.1.2), as a file response reads it.

#include <cstdint>
#include <string_view>

namespace cogi {

struct byte_range {
  enum class kind {
    whole,          // no usable Range: send everything (200)
    partial,        // one satisfiable range: send [first, last] (206)
    unsatisfiable,  // no range overlaps the content (416)
  };
  kind result = kind::whole;
  std::uint64_t first = 0, last = 0;  // inclusive, for partial

  std::uint64_t length() const { return last - first + 1; }
};

// Reads `header` ("bytes=0-99", "bytes=500-", "bytes=-200") against content of `size`
// bytes. A malformed header, another unit or several ranges give `whole`: RFC 9110
// lets a server ignore Range, and one range covers what clients ask of files.
byte_range parse_byte_range(std::string_view header, std::uint64_t size);

}  // namespace cogi
