#include "cogi/server/runtime/access_logger.hpp"

#include <limits.h>
#include <unistd.h>

#include <asio/post.hpp>

namespace cogi::runtime {
namespace {

// Past this the buffer is written at once rather than at the end of the loop's turn.
constexpr std::size_t flush_size = PIPE_BUF - 512;

// Writes `text` to stdout in pieces of at most PIPE_BUF bytes that end at a newline
// (a longer line alone). Nowhere to write to drops the lines: a log never fails a request.
void write_lines(std::string_view text) {
  while (!text.empty()) {
    std::size_t piece = text.size();
    if (piece > PIPE_BUF) {
      const auto newline = text.rfind('\n', PIPE_BUF - 1);
      piece = newline == std::string_view::npos ? text.find('\n') : newline + 1;
      if (piece == std::string_view::npos) piece = text.size();
    }
    std::size_t done = 0;
    while (done < piece) {
      const ssize_t n = ::write(STDOUT_FILENO, text.data() + done, piece - done);
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
    text.remove_prefix(piece);
  }
}

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
  write_lines(pending_);
  pending_.clear();
}

}  // namespace cogi::runtime
