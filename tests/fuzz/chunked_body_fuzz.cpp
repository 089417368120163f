// The chunked decoder against itself: bytes decoded as they come in one read, and the
// same bytes arriving one at a time, give the same body, the same end and the same
// rejection. The incremental path is what a slow client exercises; any difference is a
// framing disagreement, the root of request smuggling.

#include <string>

#include "cogi/server/http/chunked_decoder.hpp"
#include "tests/fuzz/fuzz_input.hpp"

using namespace cogi;
using cogi::fuzz::check;

namespace {

struct decoded {
  std::string body;
  http::piece_status end = http::piece_status::need_more;
  std::size_t consumed = 0;
  int status = 0;
  bool operator==(const decoded&) const = default;
};

// Feeds `input` to a decoder `step` bytes at a time (0: everything at once).
decoded decode(std::string_view input, std::size_t step) {
  http::chunked_decoder decoder(64);
  decoded out;
  std::size_t available = step == 0 ? input.size() : std::min(step, input.size());
  for (;;) {
    const auto piece = decoder.decode(input.substr(out.consumed, available - out.consumed));
    check(piece.consumed <= available - out.consumed, "consumed within what was given");
    out.consumed += piece.consumed;
    if (piece.state == http::piece_status::data) {
      out.body.append(piece.data);
      continue;
    }
    if (piece.state == http::piece_status::need_more && available < input.size()) {
      available = step == 0 ? input.size() : std::min(available + step, input.size());
      continue;
    }
    out.end = piece.state;
    if (piece.state == http::piece_status::rejected) out.status = decoder.error().status;
    return out;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const decoded whole = decode(input, 0);
  const decoded bytewise = decode(input, 1);
  check(whole.end == bytewise.end, "same end, one read or byte by byte");
  check(whole.status == bytewise.status, "same rejection");
  if (whole.end != http::piece_status::rejected) {
    check(whole.body == bytewise.body, "same body");
    check(whole.consumed == bytewise.consumed, "same bytes consumed");
  }
  return 0;
}
