#include "cogi/framework/request_lifetime.hpp"

#include <exception>
#include <string>

#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/contract/log.hpp"

namespace cogi {

asio::awaitable<void> request_lifetime::finish() {
  // Tasks added by a task run too (the list may grow while it runs).
  for (std::size_t i = 0; i < tasks_.jobs_.size(); ++i) {
    asio::awaitable<void> job = std::move(tasks_.jobs_[i]);
    std::exception_ptr failure;
    try {
      co_await std::move(job);
    } catch (...) {
      failure = std::current_exception();
    }
    if (!failure) continue;
    if (async::is_cancellation(failure)) std::rethrow_exception(failure);
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      log::error(std::string("background task failed: ") + e.what());
    } catch (...) {
      log::error("background task failed: unknown exception");
    }
  }
  tasks_.jobs_.clear();
  release();
}

void request_lifetime::release() {
  while (!values_.empty()) values_.pop_back();
}

}  // namespace cogi
