#include "cogi/framework/typed/endpoint.hpp"

namespace cogi::detail {

response typed_answer(response* slot, const operation& op, std::optional<std::string> json_text) {
  response res(0);
  if (slot) res = std::move(*slot);
  if (res.status == 0) res.status = op.success_status();
  if (json_text) {
    res.headers.set("content-type", "application/json");
    res.set_body(std::move(*json_text));
  }
  return res;
}

}  // namespace cogi::detail
