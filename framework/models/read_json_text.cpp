#include "cogi/framework/json_reader.hpp"
#include "cogi/framework/models/read.hpp"

namespace cogi::models {

void read_json_text(std::string_view text, picojson::value& document, const location& where,
                    validation_errors& errors) {
  try {
    document = read_json(text);
  } catch (const json_syntax_error& error) {
    // FastAPI's shape: ["body", <offset>], "json_invalid". What and where, never the
    // document: the context is a few escaped bytes.
    errors.add(where.item(error.offset()), "json_invalid", std::string("JSON decode error: ") + error.what());
  }
}

}  // namespace cogi::models
