#include "cogi/clients/postgres/params.hpp"

#include <stdexcept>

namespace cogi::postgres::detail {

void encoded_param::set_text(std::string_view text) {
  if (text.size() < sizeof inline_text) {
    std::memcpy(inline_text, text.data(), text.size());
    inline_text[text.size()] = '\0';
    where = storage::inline_text;
    length = static_cast<int>(text.size());
    format = 0;
  } else {
    spill.assign(text);
    set_spilled(0);
  }
}

void check_text(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    throw std::invalid_argument("a text parameter holds a NUL byte, which PostgreSQL text cannot store (use bytea)");
  }
}

void encode_double(double value, encoded_param& out) {
  if (std::isnan(value)) return out.set_text("NaN");
  if (std::isinf(value)) return out.set_text(value > 0 ? "Infinity" : "-Infinity");
  // The shortest text that reads back as the same double.
  auto [end, ec] = std::to_chars(out.inline_text, out.inline_text + sizeof out.inline_text - 1, value);
  *end = '\0';
  out.where = encoded_param::storage::inline_text;
  out.length = static_cast<int>(end - out.inline_text);
  out.format = 0;
}

void param_store::own(encoded_param& p) {
  if (p.where != encoded_param::storage::external) return;
  p.spill.assign(p.external, static_cast<std::size_t>(p.length));
  p.set_spilled(p.format);
}

param_arrays param_store::arrays(std::size_t i) {
  if (values_.size() != params_.size()) {
    values_.resize(params_.size());
    lengths_.resize(params_.size());
    formats_.resize(params_.size());
    for (std::size_t k = 0; k < params_.size(); ++k) {
      values_[k] = params_[k].value();
      lengths_[k] = params_[k].length;
      formats_[k] = params_[k].format;
    }
  }
  const group g = groups_.at(i);
  return {static_cast<int>(g.count), values_.data() + g.first, lengths_.data() + g.first, formats_.data() + g.first};
}

}  // namespace cogi::postgres::detail
