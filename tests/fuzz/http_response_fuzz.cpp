// The HTTP client's response parser (clients/http/response_parser.hpp) against itself:
// a response parsed in one read, byte by byte, and in pieces of a size the input picks,
// must give the same outcome, and when complete the same head and body.
// A difference is a framing disagreement: the client would read a different response
// depending on how the network cut it up. The first input byte steers: its low bit
// makes it the response to a HEAD request, the rest the piece size.

#include <optional>
#include <string>

#include "cogi/clients/http/errors.hpp"
#include "cogi/clients/http/response_parser.hpp"
#include "tests/fuzz/fuzz_input.hpp"

using namespace cogi;
using cogi::fuzz::check;

namespace {

enum class ending { complete, needs_more, malformed, too_large, cut_short };

struct parsed {
  ending end = ending::needs_more;
  int status = 0;
  std::size_t headers = 0;
  std::string body;
  std::size_t consumed = 0;
  bool keep_alive = false;
};

parsed parse(std::string_view input, std::size_t step, bool head_request) {
  fetch::parse_limits limits;
  limits.max_head_size = 4096;
  limits.max_header_count = 32;
  limits.max_body_size = 1 << 16;
  fetch::response_parser parser(limits);
  parser.start(head_request);
  parsed out;
  try {
    while (out.consumed < input.size() && !parser.complete()) {
      const std::size_t n = step == 0 ? input.size() - out.consumed : std::min(step, input.size() - out.consumed);
      const std::size_t taken = parser.feed(input.substr(out.consumed, n), out.body);
      check(taken <= n, "takes no more than it is given");
      out.consumed += taken;
      if (taken < n) check(parser.complete(), "stops short only at the message's end");
    }
    if (!parser.complete()) parser.finish();  // the connection ends after the input
    out.end = ending::complete;
  } catch (const fetch::malformed_response&) {
    out.end = ending::malformed;
  } catch (const fetch::response_too_large&) {
    out.end = ending::too_large;
  } catch (const fetch::connection_error&) {
    out.end = ending::cut_short;
  }
  if (out.end == ending::complete) {
    out.status = parser.head().status;
    out.headers = parser.head().headers.size();
    out.keep_alive = parser.keep_alive();
    check(out.status >= 200 && out.status <= 999, "a final status");
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  const std::uint8_t steer = in.byte();
  const bool head_request = (steer & 1) != 0;
  const std::size_t piece = 1 + (steer >> 1) % 13;
  const std::string_view response = in.rest();
  const parsed whole = parse(response, 0, head_request);
  for (const std::size_t step : {std::size_t{1}, piece}) {
    const parsed split = parse(response, step, head_request);
    // Complete or not, the same however the bytes arrive. Which failure may differ when
    // an input breaks two rules at once: limits are checked as bytes come, llhttp's own
    // rules where it finishes a span, and a split input hands llhttp's spans over early.
    check((split.end == ending::complete) == (whole.end == ending::complete), "the same outcome");
    if (whole.end != ending::complete) continue;
    check(split.status == whole.status, "the same status");
    check(split.headers == whole.headers, "the same header fields");
    check(split.body == whole.body, "the same body");
    check(split.consumed == whole.consumed, "the same bytes taken");
    check(split.keep_alive == whole.keep_alive, "the same keep-alive");
  }
  return 0;
}
