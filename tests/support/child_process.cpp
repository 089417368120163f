#include "tests/support/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace cogi::testing {

child_process::child_process(const std::string& program, const std::vector<std::string>& arguments,
                             const std::vector<std::string>& environment) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
  for (const auto& e : environment) env_strings.push_back(e);
  std::vector<char*> argv{const_cast<char*>(program.c_str())};
  for (const auto& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::execve(program.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  stderr_fd_ = pipe_fds[0];
}

child_process::~child_process() {
  if (!exit_status_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
}

void child_process::drain(std::chrono::milliseconds wait) {
  pollfd p{stderr_fd_, POLLIN, 0};
  while (::poll(&p, 1, static_cast<int>(wait.count())) > 0) {
    char chunk[4096];
    const auto n = ::read(stderr_fd_, chunk, sizeof chunk);
    if (n <= 0) break;
    captured_.append(chunk, static_cast<std::size_t>(n));
    wait = std::chrono::milliseconds(0);
  }
}

std::optional<std::string> child_process::wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    drain(std::chrono::milliseconds(20));
    if (captured_.find(text) != std::string::npos) return captured_;
    int status = 0;
    if (!exit_status_ && ::waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      drain(std::chrono::milliseconds(0));
      return captured_.find(text) != std::string::npos ? std::optional(captured_) : std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<std::uint16_t> child_process::wait_for_port(std::chrono::milliseconds timeout) {
  if (!wait_for_output("running on http://", timeout)) return std::nullopt;
  wait_for_output(" loop", std::chrono::seconds(1));
  std::smatch match;
  static const std::regex port_pattern(R"(running on http://[^ ]*:(\d+))");
  if (!std::regex_search(captured_, match, port_pattern)) return std::nullopt;
  return static_cast<std::uint16_t>(std::stoi(match[1].str()));
}

void child_process::signal(int number) { ::kill(pid_, number); }

std::optional<int> child_process::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!exit_status_) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    drain(std::chrono::milliseconds(10));
  }
  drain(std::chrono::milliseconds(0));
  return exit_status_;
}

std::string child_process::output() {
  drain(std::chrono::milliseconds(0));
  return captured_;
}

long child_process::resident_kib() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with("VmRSS:")) return std::strtol(line.c_str() + 6, nullptr, 10);
  return 0;
}

}  // namespace cogi::testing
