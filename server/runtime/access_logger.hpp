#pragma once
// The runner's access log (--access-log): a line per request on stdout, in the format
// --access-log-format names (server/http/access_log_format.hpp). One per loop: lines
// gather in the loop's buffer and go out in one write(2) when the loop turns to other
// work, so a burst of pipelined requests costs one system call, not one each; each
// write stays within PIPE_BUF and ends at a line's end, so that loops' lines never
// interleave mid-line on a pipe.

#include <optional>
#include <string>

#include <asio/io_context.hpp>

#include "cogi/server/http/access_log_format.hpp"
#include "cogi/server/runtime/config.hpp"

namespace cogi::runtime {

class access_logger {
 public:
  access_logger(asio::io_context& loop, const server_config& config);
  ~access_logger();  // writes what is left
  access_logger(const access_logger&) = delete;
  access_logger& operator=(const access_logger&) = delete;

  bool enabled() const { return format_.has_value(); }
  // Only when enabled().
  const http::access_log_format& format() const { return *format_; }

  // Adds the line for `record` (enabled() only); written out soon after.
  void log(const http::access_record& record);
  // Writes every line gathered so far.
  void flush();

 private:
  asio::io_context& loop_;
  std::optional<http::access_log_format> format_;
  std::string pending_;
  bool flush_posted_ = false;
};

}  // namespace cogi::runtime
