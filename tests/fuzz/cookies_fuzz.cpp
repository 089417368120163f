// Reading a Cookie header and writing Set-Cookie. Properties: a found value is a view of
// the header; a written Set-Cookie either is refused (std::invalid_argument) or starts
// with "name=value" and holds no byte that could split the header or add an attribute.

#include <stdexcept>
#include <string>

#include "cogi/framework/cookies.hpp"
#include "tests/fuzz/fuzz_input.hpp"

using namespace cogi;
using cogi::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  const std::string name(in.take(in.byte() % 16));
  const std::string value(in.take(in.byte() % 64));
  const std::string_view header = in.rest();

  if (const auto found = find_cookie(header, name)) check(fuzz::inside(*found, header), "a cookie value is a view of the header");

  try {
    const std::string field = format_set_cookie(name, value);
    check(field.starts_with(name + "=" + value), "Set-Cookie starts with name=value");
    for (unsigned char c : field) check(c >= 0x20 && c != 0x7f, "no control bytes in Set-Cookie");
    check(value.find(';') == std::string::npos, "a value cannot add attributes");
  } catch (const std::invalid_argument&) {
    // refused: fine
  }
  return 0;
}
