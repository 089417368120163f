#include "cogi/server/async/cancellation.hpp"

#include <asio/error.hpp>

namespace cogi::async {

bool is_cancellation(const std::exception& error) {
  if (dynamic_cast<const task_cancelled*>(&error) != nullptr) return true;
  const auto* system = dynamic_cast<const std::system_error*>(&error);
  return system != nullptr && system->code() == asio::error::operation_aborted;
}

bool is_cancellation(const std::exception_ptr& error) {
  if (!error) return false;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return is_cancellation(e);
  } catch (...) {
    return false;
  }
}

}  // namespace cogi::async
