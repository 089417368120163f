#pragma once
// The log every layer writes to (the runtime, the framework, middleware, apps): one line
// per message on stderr, written with a single write(2) so that lines from different
// loops never interleave. The runtime sets the level from --log-level and the format
// from --log-format: text ("INFO:     message", uvicorn's) or JSON, one object per line
// for log collectors: {"time":"2026-11-30T16:15:39.123Z","level":"info","message":"..."}. It sits beside
// the contract so that code written against the contract can log without depending on
// the runtime.

#include <string_view>

namespace cogi::log {

enum class level { trace, debug, info, warning, error, critical };

enum class format { text, json };

void set_level(level minimum);
void set_format(format f);
bool enabled(level l);
// Parses "debug", "info", ...; unknown names give info.
level parse_level(std::string_view name);
void write(level l, std::string_view message);

// Writes newline-terminated lines to `fd` in pieces of at most PIPE_BUF bytes that each
// end at a line's end (a longer line alone), so that lines written by several threads
// never interleave mid-line on a pipe. The log, and the access logs, write through it.
// A descriptor that takes nothing drops the rest: a log never fails a request.
void write_lines(int fd, std::string_view lines);

inline void debug(std::string_view message) { write(level::debug, message); }
inline void info(std::string_view message) { write(level::info, message); }
inline void warning(std::string_view message) { write(level::warning, message); }
inline void error(std::string_view message) { write(level::error, message); }

}  // namespace cogi::log
