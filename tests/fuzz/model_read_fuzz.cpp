// Models read from untrusted JSON and parameters from untrusted text. Properties: no
// crash, whatever the input; a refusal lists at most the limit of problems (then says
// more were found), each with a type and a message, and its 422 body is valid JSON; a
// model read is written to valid JSON that reads back and writes the same text again.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cogi/framework/json_reader.hpp"
#include "cogi/framework/model.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace fuzzed {

enum class colour { red, green, blue };
COGI_ENUM(colour, red, green, blue);

struct part {
  std::string name;
  std::optional<std::int8_t> small;
  std::vector<colour> colours;
};
COGI_MODEL(part, (name, min_length(1), max_length(8), pattern("^[a-z]+$")), small, (colours, defaulted, max_length(4)));

struct whole {
  std::uint16_t port = 0;
  double ratio = 0;
  bool on = false;
  std::vector<part> parts;
  std::optional<std::chrono::sys_time<std::chrono::milliseconds>> at;
  std::map<std::string, std::int64_t> counts;
  picojson::value extra;
};
COGI_MODEL(whole, (port, ge(1)), (ratio, defaulted, gt(-1), lt(1)), (on, defaulted), parts, at,
           (counts, defaulted), (extra, defaulted));

}  // namespace fuzzed

using cogi::fuzz::check;

namespace {

template <class T>
void read_as_parameter(std::string_view text) {
  cogi::validation_errors errors;
  T value{};
  cogi::models::read_text(text, value, cogi::models::location{nullptr, "query"}, errors);
  check(errors.size() <= 1, "one value, at most one problem");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  read_as_parameter<int>(text);
  read_as_parameter<std::uint8_t>(text);
  read_as_parameter<double>(text);
  read_as_parameter<bool>(text);
  read_as_parameter<fuzzed::colour>(text);
  read_as_parameter<std::chrono::sys_seconds>(text);
  read_as_parameter<std::chrono::sys_days>(text);
  try {
    const auto value = cogi::from_json<fuzzed::whole>(text);
    const std::string written = cogi::to_json(value);
    (void)cogi::read_json(written);
    check(cogi::to_json(cogi::from_json<fuzzed::whole>(written)) == written, "written, read back, written the same");
  } catch (const cogi::validation_error& e) {
    const auto& errors = e.errors();
    check(!errors.empty(), "a refusal says why");
    check(errors.size() <= cogi::validation_errors::default_limit, "bounded");
    for (const auto& issue : errors.issues()) check(!issue.type.empty() && !issue.message.empty(), "typed, worded");
    (void)cogi::read_json(errors.to_json());
  }
  return 0;
}
