#pragma once
// How many CPUs this process may really use, for the default number of loops: a loop
// per CPU the kernel will give us time on, not per core the host has. In a container
// (or a Kubernetes pod) with a CPU limit, the cgroup's CPU quota caps it (cgroup v2
// `cpu.max` "200000 100000": two CPUs' worth of time per period; cgroup v1
// `cpu.cfs_quota_us` / `cpu.cfs_period_us`); so does the affinity mask (taskset,
// cpusets). More loops than that would only take turns on the same CPU time.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cogi::runtime {

// min(CPUs in the affinity mask, the cgroup quota rounded up), at least 1.
unsigned usable_cpus();

// Where this process's CPU quota may be set: a cgroup hierarchy's mount point, the
// process's path in it (from /proc/self/cgroup), and which version's files it has.
struct cpu_cgroup {
  std::string root;  // "/sys/fs/cgroup"
  std::string path;  // "/system.slice/app.service"
  int version = 2;
};

// The hierarchies in /proc/self/cgroup's text that can hold a CPU quota: the cgroup v2
// one ("0::PATH", mounted at `v2_root`) and the cgroup v1 cpu controller's
// ("N:cpu,cpuacct:PATH", mounted at `v1_cpu_root`).
std::vector<cpu_cgroup> cpu_cgroups(std::string_view proc_self_cgroup, const std::string& v2_root,
                                    const std::string& v1_cpu_root);

// The tightest CPU quota on `group`'s path and its ancestors, in whole CPUs rounded up;
// nullopt when none sets one. (A quota set above us applies to us too.)
std::optional<unsigned> cgroup_cpu_limit(const cpu_cgroup& group);

}  // namespace cogi::runtime
