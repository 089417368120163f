#include "cogi/server/runtime/process_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cogi::runtime {
namespace {

std::optional<double> boot_time_seconds() {
  std::ifstream in("/proc/stat");
  std::string key;
  while (in >> key) {
    if (key == "btime") {
      double seconds = 0;
      if (in >> seconds) return seconds;
      return std::nullopt;
    }
    in.ignore(1 << 16, '\n');
  }
  return std::nullopt;
}

}  // namespace

std::optional<process_stats> read_process_stats() {
  std::ifstream stat_file("/proc/self/stat");
  std::string stat;
  if (!std::getline(stat_file, stat)) return std::nullopt;
  // "PID (COMM) STATE ...": the command may hold spaces and parentheses; fields are
  // counted from after its last ')'. Field 3 is the state.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  std::uint64_t utime = 0, stime = 0, start_ticks = 0, vsize = 0, rss_pages = 0;
  for (int number = 3; number <= 24 && fields >> field; ++number) {
    switch (number) {
      case 14: utime = std::stoull(field); break;
      case 15: stime = std::stoull(field); break;
      case 22: start_ticks = std::stoull(field); break;
      case 23: vsize = std::stoull(field); break;
      case 24: rss_pages = std::stoull(field); break;
      default: break;
    }
  }
  const auto ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
  process_stats stats;
  stats.cpu_seconds = static_cast<double>(utime + stime) / ticks_per_second;
  stats.resident_bytes = rss_pages * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
  stats.virtual_bytes = vsize;
  if (const auto boot = boot_time_seconds()) stats.start_time_seconds = *boot + static_cast<double>(start_ticks) / ticks_per_second;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec))
    ++stats.open_fds;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) stats.max_fds = limit.rlim_cur;
  return stats;
}

}  // namespace cogi::runtime
