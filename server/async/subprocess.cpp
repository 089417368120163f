#include "cogi/server/async/subprocess.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include <asio/read.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <asio/experimental/as_tuple.hpp>

#include "cogi/server/async/gather.hpp"
#include "cogi/server/async/wait_for.hpp"

extern char** environ;

namespace cogi::async {
namespace {

constexpr auto as_result = asio::experimental::as_tuple(asio::use_awaitable);

[[noreturn]] void fail(int error, const std::string& what) {
  throw std::system_error(error, std::generic_category(), what);
}

// Both ends close-on-exec; the child's end is dup2'ed onto 0/1/2, which clears it there.
struct pipe_pair {
  int read_end = -1;
  int write_end = -1;
  explicit pipe_pair(bool wanted) {
    if (!wanted) return;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) fail(errno, "pipe2");
    read_end = fds[0];
    write_end = fds[1];
  }
  ~pipe_pair() {
    if (read_end >= 0) ::close(read_end);
    if (write_end >= 0) ::close(write_end);
  }
  int take_read() { return std::exchange(read_end, -1); }
  int take_write() { return std::exchange(write_end, -1); }
};

std::vector<std::string> environment_for(const process_options& options) {
  std::map<std::string, std::string> merged;
  if (options.inherit_environment) {
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
      const std::string_view text(*entry);
      const auto eq = text.find('=');
      if (eq != std::string_view::npos) merged.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
    }
  }
  for (const auto& [name, value] : options.environment) merged[name] = value;
  std::vector<std::string> entries;
  for (const auto& [name, value] : merged) entries.push_back(name + "=" + value);
  return entries;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

exit_status decode(int wait_status) {
  exit_status status;
  if (WIFEXITED(wait_status)) status.code = WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) status.signal = WTERMSIG(wait_status);
  return status;
}

}  // namespace

subprocess subprocess::start(const asio::any_io_executor& executor, const process_options& options) {
  if (options.argv.empty()) throw std::invalid_argument("subprocess: argv is empty");
  pipe_pair in(options.pipe_stdin), out(options.pipe_stdout), err(options.pipe_stderr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  struct actions_guard {
    posix_spawn_file_actions_t* a;
    ~actions_guard() { posix_spawn_file_actions_destroy(a); }
  } guard{&actions};
  if (options.pipe_stdin) {
    posix_spawn_file_actions_adddup2(&actions, in.read_end, STDIN_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  if (options.pipe_stdout) posix_spawn_file_actions_adddup2(&actions, out.write_end, STDOUT_FILENO);
  if (options.pipe_stderr) posix_spawn_file_actions_adddup2(&actions, err.write_end, STDERR_FILENO);
  if (!options.working_directory.empty())
    posix_spawn_file_actions_addchdir_np(&actions, options.working_directory.c_str());

  std::vector<std::string> args = options.argv;
  auto env = environment_for(options);
  auto argv = c_strings(args);
  auto envp = c_strings(env);
  pid_t pid = -1;
  // glibc reports a failed exec (or chdir) as posix_spawnp's own result.
  if (const int error = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()); error != 0)
    fail(error, "cannot start " + options.argv[0]);

  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    const int error = errno;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    fail(error, "pidfd_open");
  }
  subprocess child(executor, pid, pidfd);
  if (options.pipe_stdin) child.stdin_.emplace(executor, in.take_write());
  if (options.pipe_stdout) child.stdout_.emplace(executor, out.take_read());
  if (options.pipe_stderr) child.stderr_.emplace(executor, err.take_read());
  return child;  // the child's ends close with the pipe_pairs
}

subprocess::subprocess(const asio::any_io_executor& executor, pid_t pid, int pidfd)
    : pid_(pid), exit_watch_(executor, pidfd) {}

subprocess::subprocess(subprocess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      status_(other.status_),
      exit_watch_(std::move(other.exit_watch_)),
      stdin_(std::move(other.stdin_)),
      stdout_(std::move(other.stdout_)),
      stderr_(std::move(other.stderr_)) {}

subprocess::~subprocess() {
  if (pid_ < 0 || status_) return;
  // Still running (or not yet reaped): SIGKILL ends it at once, so this wait is short.
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
}

void subprocess::kill(int signal) {
  if (pid_ >= 0 && !status_) ::kill(pid_, signal);
}

asio::awaitable<void> subprocess::write_stdin(std::string_view data) {
  if (!stdin_) throw std::logic_error("subprocess: stdin is not a pipe (or was closed)");
  co_await asio::async_write(*stdin_, asio::buffer(data), asio::use_awaitable);
}

void subprocess::close_stdin() { stdin_.reset(); }

asio::awaitable<std::size_t> subprocess::read_some(std::optional<asio::posix::stream_descriptor>& pipe, char* data,
                                                   std::size_t size) {
  if (!pipe) throw std::logic_error("subprocess: that stream is not a pipe");
  auto [ec, n] = co_await pipe->async_read_some(asio::buffer(data, size), as_result);
  if (ec == asio::error::eof) co_return 0;
  if (ec) throw std::system_error(ec);
  co_return n;
}

asio::awaitable<std::size_t> subprocess::read_stdout(char* data, std::size_t size) {
  return read_some(stdout_, data, size);
}

asio::awaitable<std::size_t> subprocess::read_stderr(char* data, std::size_t size) {
  return read_some(stderr_, data, size);
}

asio::awaitable<std::string> subprocess::read_to_end(std::optional<asio::posix::stream_descriptor>& pipe) {
  std::string all;
  if (!pipe) co_return all;
  char chunk[16384];
  for (;;) {
    const std::size_t n = co_await read_some(pipe, chunk, sizeof chunk);
    if (n == 0) co_return all;
    all.append(chunk, n);
  }
}

asio::awaitable<exit_status> subprocess::wait() {
  while (!status_) {
    int wait_status = 0;
    const pid_t reaped = ::waitpid(pid_, &wait_status, WNOHANG);
    if (reaped == pid_) {
      status_ = decode(wait_status);
      break;
    }
    if (reaped < 0 && errno != EINTR) fail(errno, "waitpid");
    // The pidfd becomes readable when the process exits.
    co_await exit_watch_.async_wait(asio::posix::stream_descriptor::wait_read, asio::use_awaitable);
  }
  co_return *status_;
}

asio::awaitable<process_result> subprocess::communicate(std::string input) {
  auto feed = [](subprocess& self, std::string data) -> asio::awaitable<void> {
    if (!self.stdin_) co_return;
    if (!data.empty()) co_await self.write_stdin(data);
    self.close_stdin();
  };
  auto writing = feed(*this, std::move(input));
  auto reading_out = read_to_end(stdout_);
  auto reading_err = read_to_end(stderr_);
  auto [ignored, out, err] = co_await gather(std::move(writing), std::move(reading_out), std::move(reading_err));
  process_result result;
  result.out = std::move(out);
  result.err = std::move(err);
  result.status = co_await wait();
  co_return result;
}

asio::awaitable<process_result> run_process(const asio::any_io_executor& executor, process_options options,
                                            std::optional<std::chrono::steady_clock::duration> timeout,
                                            std::string input) {
  auto child = subprocess::start(executor, options);
  if (!timeout) co_return co_await child.communicate(std::move(input));
  bool timed_out = false;
  try {
    auto talking = child.communicate(std::move(input));
    co_return co_await wait_for(std::move(talking), *timeout);
  } catch (const timeout_error&) {
    timed_out = true;
  }
  if (timed_out) {
    child.kill();  // reaped by its destructor
    throw timeout_error();
  }
  co_return process_result{};  // not reached
}

}  // namespace cogi::async
