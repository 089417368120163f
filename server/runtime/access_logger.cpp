#include "cogi/server/runtime/access_logger.hpp"

#include <limits.h>
#include <unistd.h>

#include <asio/post.hpp>

#include "cogi/server/contract/log.hpp"

namespace cogi::runtime {
namespace {

// Past this the buffer is written at once rather than at the end of the loop's turn.
constexpr std::size_t flush_size = PIPE_BUF - 512;

}  // namespace

access_logger::access_logger(asio::io_context& loop, const server_config& config) : loop_(loop) {
  if (config.access_log) format_.emplace(config.access_log_format);
}

access_logger::~access_logger() { flush(); }

void access_logger::log(const http::access_record& record) {
  format_->append(pending_, record);
  pending_.push_back('\n');
  if (pending_.size() >= flush_size) {
    flush();
  } else if (!flush_posted_) {
    flush_posted_ = true;
    asio::post(loop_, [this] {
      flush_posted_ = false;
      flush();
    });
  }
}

void access_logger::flush() {
  if (pending_.empty()) return;
  log::write_lines(STDOUT_FILENO, pending_);
  pending_.clear();
}

}  // namespace cogi::runtime
