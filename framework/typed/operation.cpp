#include "cogi/framework/typed/operation.hpp"

namespace cogi {

std::shared_ptr<operation> new_operation() { return std::make_shared<operation>(); }

}  // namespace cogi
