#include "cogi/server/runtime/cpu_quota.hpp"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace cogi::runtime {
namespace {

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<long long> parse_number(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Quota per period (both in microseconds) as CPUs rounded up; nullopt for no limit
// ("max" in v2, -1 in v1) or anything not understood.
std::optional<unsigned> cpus_for(std::optional<long long> quota, std::optional<long long> period) {
  if (!quota || !period || *quota <= 0 || *period <= 0) return std::nullopt;
  return static_cast<unsigned>(std::max<long long>(1, (*quota + *period - 1) / *period));
}

std::optional<unsigned> limit_at(const std::string& directory, int version) {
  if (version == 2) {
    const auto text = read_file(directory + "/cpu.max");  // "QUOTA PERIOD" or "max PERIOD"
    if (!text) return std::nullopt;
    const auto space = text->find(' ');
    if (space == std::string::npos) return std::nullopt;
    return cpus_for(parse_number(std::string_view(*text).substr(0, space)),
                    parse_number(std::string_view(*text).substr(space + 1)));
  }
  const auto quota = read_file(directory + "/cpu.cfs_quota_us");
  const auto period = read_file(directory + "/cpu.cfs_period_us");
  if (!quota || !period) return std::nullopt;
  return cpus_for(parse_number(*quota), parse_number(*period));
}

unsigned affinity_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int count = CPU_COUNT(&set);
    if (count > 0) return static_cast<unsigned>(count);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

bool has_cpu_controller(std::string_view controllers) {
  while (!controllers.empty()) {
    const auto comma = controllers.find(',');
    if (controllers.substr(0, comma) == "cpu") return true;
    if (comma == std::string_view::npos) break;
    controllers.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::vector<cpu_cgroup> cpu_cgroups(std::string_view proc_self_cgroup, const std::string& v2_root,
                                    const std::string& v1_cpu_root) {
  std::vector<cpu_cgroup> groups;
  while (!proc_self_cgroup.empty()) {
    const auto end = proc_self_cgroup.find('\n');
    const std::string_view line = proc_self_cgroup.substr(0, end);
    // "ID:CONTROLLERS:PATH"
    const auto first = line.find(':');
    const auto second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second != std::string_view::npos) {
      const std::string_view id = line.substr(0, first);
      const std::string_view controllers = line.substr(first + 1, second - first - 1);
      const std::string path(line.substr(second + 1));
      if (id == "0" && controllers.empty()) {
        groups.push_back({v2_root, path, 2});
      } else if (has_cpu_controller(controllers)) {
        groups.push_back({v1_cpu_root, path, 1});
      }
    }
    if (end == std::string_view::npos) break;
    proc_self_cgroup.remove_prefix(end + 1);
  }
  return groups;
}

std::optional<unsigned> cgroup_cpu_limit(const cpu_cgroup& group) {
  std::optional<unsigned> limit;
  std::string path = group.path;
  for (;;) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    // In a container the hierarchy's root is the container's own group, while the path
    // may still name it from the host: levels that do not exist are skipped.
    if (const auto cpus = limit_at(group.root + (path == "/" ? "" : path), group.version))
      limit = std::min(limit.value_or(*cpus), *cpus);
    if (path.empty() || path == "/") break;
    const auto slash = path.rfind('/');
    path = slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
  }
  return limit;
}

unsigned usable_cpus() {
  unsigned cpus = affinity_cpus();
  if (const auto proc = read_file("/proc/self/cgroup")) {
    // Unified (cgroup2 at /sys/fs/cgroup) or hybrid (at /sys/fs/cgroup/unified) hosts.
    const std::string v2_root =
        std::filesystem::exists("/sys/fs/cgroup/cgroup.controllers") ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified";
    for (const auto& group : cpu_cgroups(*proc, v2_root, "/sys/fs/cgroup/cpu"))
      if (const auto limit = cgroup_cpu_limit(group)) cpus = std::min(cpus, *limit);
  }
  return std::max(cpus, 1u);
}

}  // namespace cogi::runtime
