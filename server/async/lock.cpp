#include "cogi/server/async/lock.hpp"

namespace cogi::async {

asio::awaitable<lock::guard> lock::acquire() {
  co_await permit_.acquire();
  co_return guard(*this);
}

}  // namespace cogi::async
