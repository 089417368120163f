// The Range header against content of a given size. Properties: a partial answer is a
// non-empty range inside the content; an unsatisfiable one only for content that is
// not empty or a range past its end.

#include <string>

#include "cogi/framework/byte_range.hpp"
#include "tests/fuzz/fuzz_input.hpp"

using namespace cogi;
using cogi::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  // Sizes near the edges as often as in between.
  std::uint64_t content = in.u64();
  switch (in.byte() % 4) {
    case 0: content %= 4; break;
    case 1: content %= 1000; break;
    case 2: content = ~std::uint64_t{0} - (content % 4); break;
    default: break;
  }
  const auto range = parse_byte_range(in.rest(), content);
  if (range.result == byte_range::kind::partial) {
    check(range.first <= range.last, "first <= last");
    check(range.last < content, "the range ends inside the content");
    check(range.length() >= 1 && range.length() <= content, "a sane length");
  }
  return 0;
}
