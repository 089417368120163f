#pragma once
// Runs a program (the demo server) as a child process for tests that need a real
// process: signals, exit codes, command line, resident memory. stderr is captured.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cogi::testing {

class child_process {
 public:
  // `environment` entries ("NAME=value") are added to the current environment.
  child_process(const std::string& program, const std::vector<std::string>& arguments,
                const std::vector<std::string>& environment = {});
  ~child_process();  // kills the child if it still runs
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }
  // Waits until stderr contains `text`; returns everything read so far, or nullopt on
  // timeout or exit.
  std::optional<std::string> wait_for_output(const std::string& text, std::chrono::milliseconds timeout);
  // The port from the server's "running on http://host:PORT" line.
  std::optional<std::uint16_t> wait_for_port(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  void signal(int number);
  // The exit status, or nullopt if the child did not exit within `timeout`.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  // stderr captured so far (drains the pipe).
  std::string output();
  // Resident set size in KiB (VmRSS), or 0 if unavailable.
  long resident_kib() const;

 private:
  void drain(std::chrono::milliseconds wait);

  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::string captured_;
  std::optional<int> exit_status_;
};

}  // namespace cogi::testing
