#include "cogi/framework/models/read.hpp"

#include <algorithm>

namespace cogi::models::detail {
namespace {

std::string plural(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

// Characters, not bytes, as pydantic counts: the JSON reader has checked the UTF-8.
std::size_t characters(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  }));
}

}  // namespace

void wrong_type(validation_errors& errors, const location& where, std::string_view type) {
  struct message {
    std::string_view type, text;
  };
  static constexpr message messages[] = {
      {"bool_type", "Input should be a valid boolean"},
      {"bool_parsing", "Input should be a valid boolean, unable to interpret input"},
      {"int_type", "Input should be a valid integer"},
      {"int_parsing", "Input should be a valid integer, unable to parse string as an integer"},
      {"float_type", "Input should be a valid number"},
      {"float_parsing", "Input should be a valid number, unable to parse string as a number"},
      {"finite_number", "Input should be a finite number"},
      {"string_type", "Input should be a valid string"},
      {"date_type", "Input should be a valid date"},
      {"datetime_type", "Input should be a valid datetime"},
      {"list_type", "Input should be a valid list"},
      {"dict_type", "Input should be a valid dictionary"},
      {"model_attributes_type", "Input should be a valid dictionary or object to extract fields from"},
  };
  for (const auto& m : messages) {
    if (m.type == type) {
      errors.add(where, type, std::string(m.text));
      return;
    }
  }
  errors.add(where, type, "Input is not valid");
}

void integer_out_of_range(validation_errors& errors, const location& where, bool too_big, std::int64_t min,
                          std::uint64_t max) {
  if (too_big) {
    errors.add(where, "less_than_equal", "Input should be less than or equal to " + std::to_string(max));
  } else {
    errors.add(where, "greater_than_equal", "Input should be greater than or equal to " + std::to_string(min));
  }
}

void check_string(const std::string& value, const field_rules& rules, const location& where,
                  validation_errors& errors) {
  if (rules.min_length || rules.max_length) {
    const std::size_t length = characters(value);
    if (rules.min_length && length < *rules.min_length) {
      errors.add(where, "string_too_short", "String should have at least " + plural(*rules.min_length, "character"));
      return;
    }
    if (rules.max_length && length > *rules.max_length) {
      errors.add(where, "string_too_long", "String should have at most " + plural(*rules.max_length, "character"));
      return;
    }
  }
  if (rules.compiled) {
    if (value.size() > rules::pattern_input_limit) {
      errors.add(where, "string_too_long",
                 "String should have at most " + plural(rules::pattern_input_limit, "byte") +
                     " to be matched against its pattern");
    } else if (!pattern_found(*rules.compiled, value)) {
      errors.add(where, "string_pattern_mismatch", "String should match pattern '" + rules.pattern + "'");
    }
  }
}

void check_size(std::size_t size, const field_rules& rules, const location& where, validation_errors& errors) {
  if (rules.min_length && size < *rules.min_length) {
    errors.add(where, "too_short",
               "List should have at least " + plural(*rules.min_length, "item") + " after validation, not " +
                   std::to_string(size));
  } else if (rules.max_length && size > *rules.max_length) {
    errors.add(where, "too_long",
               "List should have at most " + plural(*rules.max_length, "item") + " after validation, not " +
                   std::to_string(size));
  }
}

void check_number(double value, std::int64_t integer, bool integral, const field_rules& rules,
                  const location& where, validation_errors& errors) {
  // -1, 0, 1 as value is below, at or above the bound; integers against integer bounds
  // exactly (a double cannot tell 2^53 from 2^53 + 1).
  const auto compare = [&](const number_bound& bound) {
    if (integral && bound.integral) return integer < bound.integer ? -1 : integer > bound.integer ? 1 : 0;
    return value < bound.value ? -1 : value > bound.value ? 1 : 0;
  };
  if (rules.ge && compare(*rules.ge) < 0) {
    errors.add(where, "greater_than_equal", "Input should be greater than or equal to " + rules.ge->text());
  } else if (rules.gt && compare(*rules.gt) <= 0) {
    errors.add(where, "greater_than", "Input should be greater than " + rules.gt->text());
  } else if (rules.le && compare(*rules.le) > 0) {
    errors.add(where, "less_than_equal", "Input should be less than or equal to " + rules.le->text());
  } else if (rules.lt && compare(*rules.lt) >= 0) {
    errors.add(where, "less_than", "Input should be less than " + rules.lt->text());
  }
}

void bad_enum(validation_errors& errors, const location& where, const std::string* names, std::size_t count) {
  // "Input should be 'low', 'normal' or 'high'"
  std::string message = "Input should be ";
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) message.append(i + 1 == count ? " or " : ", ");
    message.append("'").append(names[i]).append("'");
  }
  errors.add(where, "enum", std::move(message));
}

void bad_date_time(validation_errors& errors, const location& where, std::string_view problem) {
  errors.add(where, "datetime_from_date_parsing", "Input should be a valid datetime, " + std::string(problem));
}

std::optional<bool> parse_bool(std::string_view text) {
  // pydantic's words for true and false, in any case.
  std::string lower(text.substr(0, 6));
  if (text.size() > 5) return std::nullopt;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  for (std::string_view yes : {"1", "on", "t", "true", "y", "yes"})
    if (lower == yes) return true;
  for (std::string_view no : {"0", "off", "f", "false", "n", "no"})
    if (lower == no) return false;
  return std::nullopt;
}

}  // namespace cogi::models::detail
