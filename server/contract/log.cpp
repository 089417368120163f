#include "cogi/server/contract/log.hpp"

#include <limits.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "cogi/server/contract/json_string.hpp"

namespace cogi::log {
namespace {

std::atomic<level> minimum_level{level::info};
std::atomic<format> line_format{format::text};

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

// RFC 3339 in UTC with milliseconds, as log collectors parse it.
void append_timestamp(std::string& line) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const int n = std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                              utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  line.append(text, static_cast<std::size_t>(n));
}

std::string json_line(level l, std::string_view message) {
  std::string line;
  line.reserve(message.size() + 80);
  line.append(R"({"time":")");
  append_timestamp(line);
  line.append(R"(","level":")");
  for (char c : label(l)) line.push_back(static_cast<char>(c - 'A' + 'a'));
  line.append(R"(","message":)");
  append_json_string(line, message);
  line.append("}\n");
  return line;
}

std::string text_line(level l, std::string_view message) {
  std::string line;
  line.reserve(message.size() + 16);
  line.append(label(l)).append(":").append(9 - label(l).size(), ' ').append(message).push_back('\n');
  return line;
}

}  // namespace

void set_format(format f) { line_format.store(f, std::memory_order_relaxed); }

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
  const std::string line =
      line_format.load(std::memory_order_relaxed) == format::json ? json_line(l, message) : text_line(l, message);
  write_lines(STDERR_FILENO, line);
}

void write_lines(int fd, std::string_view text) {
  while (!text.empty()) {
    std::size_t piece = text.size();
    if (piece > PIPE_BUF) {
      const auto newline = text.rfind('\n', PIPE_BUF - 1);
      piece = newline == std::string_view::npos ? text.find('\n') : newline + 1;
      if (piece == std::string_view::npos) piece = text.size();
    }
    std::size_t done = 0;
    while (done < piece) {
      const ssize_t n = ::write(fd, text.data() + done, piece - done);
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
    text.remove_prefix(piece);
  }
}

}  // namespace cogi::log
