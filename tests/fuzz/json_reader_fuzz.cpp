// The JSON reader. Properties: no crash, however deep or malformed the input; an error
// carries at most 40 bytes of context and a position inside the input; a document read
// is written back by json_writer to text that reads back to the same value; and what
// cogi accepts, picojson (more lenient: no UTF-8 check) accepts with the same value.

#include <string>

#include <picojson.h>

#include "cogi/framework/json_reader.hpp"
#include "cogi/framework/json_writer.hpp"
#include "tests/fuzz/fuzz_input.hpp"

using namespace cogi;
using cogi::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  picojson::value value;
  try {
    // Shallow enough for picojson's unbounded recursion below.
    value = read_json(text, {.max_depth = 64});
  } catch (const json_syntax_error& error) {
    check(error.offset() <= text.size(), "the error lies within the input");
    check(error.context().size() <= json_syntax_error::max_context_bytes * 4, "bounded context");
    check(error.line() >= 1 && error.column() >= 1, "1-based position");
    return 0;
  }
  const std::string written = to_json(value);
  check(read_json(written) == value, "written JSON reads back to the same value");

  picojson::value theirs;
  std::string error;
  picojson::parse(theirs, text.data(), text.data() + text.size(), &error);
  check(error.empty(), "picojson accepts what cogi accepts");
  check(theirs == value, "picojson reads the same value");
  return 0;
}
