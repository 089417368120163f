// The multipart/form-data parser on untrusted bodies. Properties: no crash; the same
// events and the same verdict however the body is split into pieces (once whole, once
// cut where the input's first byte says, once byte by byte); never more data out than
// went in; the part limit holds.

#include <string>
#include <vector>

#include "cogi/framework/forms/multipart_parser.hpp"
#include "tests/fuzz/fuzz_input.hpp"

using cogi::fuzz::check;

namespace {

struct recorder : cogi::multipart_events {
  std::vector<std::string> seen;
  std::size_t data_bytes = 0;
  void begin(const cogi::multipart_part& part) override {
    seen.push_back("begin " + part.name + "|" + part.filename.value_or("<none>") + "|" + part.content_type);
    seen.emplace_back();
  }
  void data(std::string_view bytes) override {
    data_bytes += bytes.size();
    if (!seen.empty()) seen.back().append(bytes);
  }
  void end() override { seen.push_back("end"); }
};

// "ok", or the error's kind and message; the events so far in `events`.
std::string parse(std::string_view body, const std::vector<std::size_t>& cuts, recorder& events) {
  cogi::multipart_parser parser("Bnd", {.max_parts = 8, .max_head_bytes = 256});
  try {
    std::size_t at = 0;
    for (const std::size_t cut : cuts) {
      parser.feed(body.substr(at, cut - at), events);
      at = cut;
    }
    parser.feed(body.substr(at), events);
    parser.finish();
    return "ok";
  } catch (const cogi::multipart_limit_error& e) {
    return std::string("limit: ") + e.what();
  } catch (const cogi::multipart_error& e) {
    return std::string("error: ") + e.what();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t split = data[0] % size;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  recorder whole, two, bytes;
  const std::string verdict = parse(body, {}, whole);
  check(parse(body, {std::min(split, body.size())}, two) == verdict, "the same verdict, split in two");
  std::vector<std::size_t> every;
  for (std::size_t i = 1; i < body.size(); ++i) every.push_back(i);
  check(parse(body, every, bytes) == verdict, "the same verdict, byte by byte");
  if (verdict == "ok") {
    check(two.seen == whole.seen && bytes.seen == whole.seen, "the same events however split");
  }
  check(whole.data_bytes <= body.size(), "no more data out than in");
  std::size_t parts = 0;
  for (const auto& event : whole.seen) parts += event.starts_with("begin ");
  check(parts <= 8, "the part limit holds");
  (void)cogi::multipart_boundary(body);
  return 0;
}
