#pragma once
// The process's own figures from /proc, under the names Prometheus' client libraries
// give them (process_cpu_seconds_total, process_resident_memory_bytes, ...), so that
// dashboards written for any exporter read cogi's.

#include <cstdint>
#include <optional>

namespace cogi::runtime {

struct process_stats {
  double cpu_seconds = 0;             // user + system time of every thread
  std::uint64_t resident_bytes = 0;
  std::uint64_t virtual_bytes = 0;
  std::uint64_t open_fds = 0;
  std::uint64_t max_fds = 0;          // the soft limit (RLIMIT_NOFILE)
  double start_time_seconds = 0;      // since the Unix epoch
};

// nullopt where /proc is not readable.
std::optional<process_stats> read_process_stats();

}  // namespace cogi::runtime
