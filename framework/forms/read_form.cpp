#include "cogi/framework/forms/read_form.hpp"

namespace cogi::detail {

void expected_file(models::validation_errors& errors, const models::location& where) {
  errors.add(where, "value_error", "Value error, Expected a file, received text");
}

void expected_text(models::validation_errors& errors, const models::location& where) {
  errors.add(where, "string_type", "Input should be a valid string, not a file");
}

}  // namespace cogi::detail
