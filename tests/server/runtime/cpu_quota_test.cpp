// The default number of loops follows the CPU time a container may use: the cgroup
// quota (v2 cpu.max, v1 cfs_quota_us/cfs_period_us), the tightest on the path up.

#include "cogi/server/runtime/cpu_quota.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace cogi::runtime {
namespace {

namespace fs = std::filesystem;

class CpuQuota : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cogi-cgroup-" + std::to_string(::getpid()));
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& relative, const std::string& text) {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative) << text;
  }
  std::string root() const { return root_.string(); }

  fs::path root_;
};

TEST_F(CpuQuota, FindsTheV2AndV1HierarchiesInProcSelfCgroup) {
  const auto hybrid = cpu_cgroups("12:cpu,cpuacct:/kubepods/pod1\n4:memory:/x\n0::/kubepods/pod1\n", "/v2", "/v1cpu");
  ASSERT_EQ(hybrid.size(), 2u);
  EXPECT_EQ(hybrid[0].root, "/v1cpu");
  EXPECT_EQ(hybrid[0].path, "/kubepods/pod1");
  EXPECT_EQ(hybrid[0].version, 1);
  EXPECT_EQ(hybrid[1].root, "/v2");
  EXPECT_EQ(hybrid[1].version, 2);
  // cpuacct alone holds no quota.
  EXPECT_TRUE(cpu_cgroups("3:cpuacct:/a\n", "/v2", "/v1").empty());
}

TEST_F(CpuQuota, V2QuotaIsRoundedUpToWholeCpus) {
  write("app/cpu.max", "150000 100000\n");
  EXPECT_EQ(cgroup_cpu_limit({root(), "/app", 2}), 2u);
  write("app/cpu.max", "50000 100000\n");
  EXPECT_EQ(cgroup_cpu_limit({root(), "/app", 2}), 1u);
}

TEST_F(CpuQuota, V2MaxMeansNoLimit) {
  write("app/cpu.max", "max 100000\n");
  EXPECT_EQ(cgroup_cpu_limit({root(), "/app", 2}), std::nullopt);
}

TEST_F(CpuQuota, TheTightestLimitOnThePathUpCounts) {
  write("cpu.max", "max 100000\n");
  write("kubepods/cpu.max", "300000 100000\n");
  write("kubepods/pod1/cpu.max", "max 100000\n");
  write("kubepods/pod1/app/cpu.max", "400000 100000\n");
  EXPECT_EQ(cgroup_cpu_limit({root(), "/kubepods/pod1/app", 2}), 3u);
}

TEST_F(CpuQuota, AContainersOwnRootCountsWhenTheHostPathIsNotMountedInside) {
  // Inside a container without a cgroup namespace: /proc/self/cgroup names the host's
  // path, but the container's hierarchy root is its own group.
  write("cpu.cfs_quota_us", "200000\n");
  write("cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(cgroup_cpu_limit({root(), "/machine.slice/libpod-abc.scope", 1}), 2u);
}

TEST_F(CpuQuota, V1MinusOneMeansNoLimit) {
  write("cpu.cfs_quota_us", "-1\n");
  write("cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(cgroup_cpu_limit({root(), "/", 1}), std::nullopt);
}

TEST_F(CpuQuota, UsableCpusIsAtLeastOneAndAtMostTheAffinityMask) {
  const unsigned cpus = usable_cpus();
  EXPECT_GE(cpus, 1u);
  cpu_set_t set;
  CPU_ZERO(&set);
  ASSERT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  EXPECT_LE(cpus, static_cast<unsigned>(CPU_COUNT(&set)));
}

}  // namespace
}  // namespace cogi::runtime
