#pragma once
// A program to run, built in one expression: a process_options with constructors and
// chained settings. Being a class with constructors (not an aggregate), it is safe as
// a temporary inside co_await on every compiler, where a braced process_options is not
// on GCC 12 (docs/compilers.md), so this is the form to write in an awaited call:
//
//   auto result = co_await async::run_process(ex, async::command("make", "-j4").cwd(dir));
//   auto listing = co_await async::run_process(ex, async::command("ls", "-l", "/tmp"), 10s);

#include <string>
#include <utility>

#include "cogi/server/async/subprocess.hpp"

namespace cogi::async {

class command : public process_options {
 public:
  // argv = {program, args...}; the program is looked up on PATH.
  template <class... Args>
  explicit command(std::string program, Args&&... args) {
    argv.reserve(1 + sizeof...(Args));
    argv.push_back(std::move(program));
    (argv.emplace_back(std::forward<Args>(args)), ...);
  }

  // One more argument.
  command& arg(std::string value) & {
    argv.push_back(std::move(value));
    return *this;
  }
  command&& arg(std::string value) && { return std::move(arg(std::move(value))); }

  // An environment entry (added to the inherited environment, or replacing one).
  command& env(std::string name, std::string value) & {
    environment[std::move(name)] = std::move(value);
    return *this;
  }
  command&& env(std::string name, std::string value) && { return std::move(env(std::move(name), std::move(value))); }

  // Start from an empty environment: only the env() entries.
  command& clear_environment() & {
    inherit_environment = false;
    return *this;
  }
  command&& clear_environment() && { return std::move(clear_environment()); }

  // The working directory.
  command& cwd(std::string directory) & {
    working_directory = std::move(directory);
    return *this;
  }
  command&& cwd(std::string directory) && { return std::move(cwd(std::move(directory))); }

  // A pipe to the child's stdin (for run_process's input or write_stdin()).
  command& with_stdin() & {
    pipe_stdin = true;
    return *this;
  }
  command&& with_stdin() && { return std::move(with_stdin()); }
};

}  // namespace cogi::async
