#pragma once
// asyncio.create_subprocess_exec for cogi: start a program with arguments, environment
// and working directory; write its stdin and read its stdout/stderr asynchronously; wait
// for its exit (with a timeout: wrap wait() in wait_for); kill it. Many at once never
// block a loop: the exit is watched through a pidfd, the pipes through the reactor.
//
//   auto child = async::subprocess::start(ex, async::command("ls", "-l", "/tmp"));
//   auto result = co_await child.communicate();  // stdout, stderr, exit status
//
//   auto built = co_await async::run_process(ex, async::command("make").cwd(dir), 10min);
//
// async::command (command.hpp) is the way to write the options inside a co_await: a
// braced process_options there is destroyed twice by GCC 12 (docs/compilers.md).
//
// A subprocess object destroyed while its process still runs kills it (SIGKILL) and
// reaps it, so no child outlives its handle and no zombie is left.

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/posix/stream_descriptor.hpp>

namespace cogi::async {

struct process_options {
  std::vector<std::string> argv{};  // argv[0] names the program; looked up on PATH
  // Added to (or replacing entries of) the inherited environment; with
  // inherit_environment = false, the only entries.
  std::map<std::string, std::string> environment{};
  bool inherit_environment = true;
  std::string working_directory{};  // empty: the current one
  // Each stream is a pipe to us, or else the child shares ours (stdin: /dev/null).
  bool pipe_stdin = false;
  bool pipe_stdout = true;
  bool pipe_stderr = true;
};

struct exit_status {
  int code = -1;    // the exit code, when it exited
  int signal = 0;   // the signal that ended it, when it was killed
  bool exited() const { return signal == 0; }
  bool success() const { return signal == 0 && code == 0; }
};

struct process_result {
  exit_status status;
  std::string out;  // all of stdout (when piped)
  std::string err;  // all of stderr (when piped)
};

class subprocess {
 public:
  // Starts the program; throws std::system_error when it cannot (not found, not
  // executable, bad working directory).
  static subprocess start(const asio::any_io_executor& executor, const process_options& options);

  subprocess(subprocess&&) noexcept;
  subprocess& operator=(subprocess&&) = delete;
  ~subprocess();

  pid_t pid() const { return pid_; }

  // Writes all of `data` to its stdin (waits while the pipe is full).
  asio::awaitable<void> write_stdin(std::string_view data);
  // Ends its stdin: the child reads end-of-file.
  void close_stdin();
  // Reads what is available (at least one byte); returns 0 at end of stream.
  asio::awaitable<std::size_t> read_stdout(char* data, std::size_t size);
  asio::awaitable<std::size_t> read_stderr(char* data, std::size_t size);

  // Waits for the process to end. Cancellable (the process keeps running).
  asio::awaitable<exit_status> wait();
  // Sends a signal (SIGKILL by default); nothing once it has been reaped.
  void kill(int signal = SIGKILL);

  // Python's communicate(): writes `input` and closes stdin, reads stdout and stderr to
  // their ends at the same time (so neither pipe can fill up and stall the child), then
  // waits for the exit.
  asio::awaitable<process_result> communicate(std::string input = {});

 private:
  subprocess(const asio::any_io_executor& executor, pid_t pid, int pidfd);
  static asio::awaitable<std::size_t> read_some(std::optional<asio::posix::stream_descriptor>& pipe, char* data,
                                                std::size_t size);
  static asio::awaitable<std::string> read_to_end(std::optional<asio::posix::stream_descriptor>& pipe);

  pid_t pid_ = -1;
  std::optional<exit_status> status_;  // once reaped
  asio::posix::stream_descriptor exit_watch_;  // the pidfd: readable once it has exited
  std::optional<asio::posix::stream_descriptor> stdin_, stdout_, stderr_;
};

// Starts, communicates and waits; with a timeout, a process still running then is
// killed and timeout_error is thrown.
asio::awaitable<process_result> run_process(const asio::any_io_executor& executor, process_options options,
                                            std::optional<std::chrono::steady_clock::duration> timeout = {},
                                            std::string input = {});

}  // namespace cogi::async
