#include "cogi/server/contract/json_string.hpp"

#include <array>

#include "cogi/server/contract/utf8.hpp"

namespace cogi {
namespace {

// What each byte needs: nothing (0), a two-character escape (its letter), \u00XX ('u'),
// or a check that it starts well-formed UTF-8 ('8').
constexpr std::array<char, 256> needs = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  table[0x7f] = 'u';
  table['"'] = '"';
  table['\\'] = '\\';
  table['\n'] = 'n';
  table['\r'] = 'r';
  table['\t'] = 't';
  for (int c = 0x80; c < 0x100; ++c) table[c] = '8';
  return table;
}();

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the bytes not yet appended: they go out in runs
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const char need = needs[byte];
    if (need == 0) {
      ++i;
      continue;
    }
    if (need == '8') {
      const std::size_t length = utf8_sequence_length(text.substr(i));
      if (length != 0) {
        i += length;  // well-formed: part of the run
        continue;
      }
    }
    out.append(text.substr(run, i - run));
    if (need == '8') {
      out.append("\\ufffd");
    } else if (need == 'u') {
      out.append("\\u00").push_back(hex[byte >> 4]);
      out.push_back(hex[byte & 0xf]);
    } else {
      out.push_back('\\');
      out.push_back(need);
    }
    run = ++i;
  }
  out.append(text.substr(run));
  out.push_back('"');
}

}  // namespace cogi
