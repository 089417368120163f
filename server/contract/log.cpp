#include "server/contract/log.hpp"

#include <unistd.h>

#include <atomic>
#include <string>

namespace cogi::log {
namespace {

std::atomic<level> minimum_level{level::info};

std::string_view label(level l) {
  switch (l) {
    case level::trace: return "TRACE";
    case level::debug: return "DEBUG";
    case level::info: return "INFO";
    case level::warning: return "WARNING";
    case level::error: return "ERROR";
    case level::critical: return "CRITICAL";
  }
  return "INFO";
}

}  // namespace

void set_level(level minimum) { minimum_level.store(minimum, std::memory_order_relaxed); }

bool enabled(level l) { return l >= minimum_level.load(std::memory_order_relaxed); }

level parse_level(std::string_view name) {
  if (name == "trace") return level::trace;
  if (name == "debug") return level::debug;
  if (name == "warning") return level::warning;
  if (name == "error") return level::error;
  if (name == "critical") return level::critical;
  return level::info;
}

void write(level l, std::string_view message) {
  if (!enabled(l)) return;
  std::string line;
  line.reserve(message.size() + 16);
  line.append(label(l)).append(":").append(9 - label(l).size(), ' ').append(message).push_back('\n');
  // One write: atomic for lines below PIPE_BUF on pipes, and never interleaved mid-line
  // by other threads' single writes on terminals and files.
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace cogi::log
