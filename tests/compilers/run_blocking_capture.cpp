// Compiled by ctest, not linked (tests/compilers/CMakeLists.txt): on GCC before 13 the
// hazardous call must not compile, and must say why; the safe ones must compile.
#include <cstddef>
#include <string>

#include "cogi/server/async/run_blocking.hpp"

std::size_t length_of(const std::string& text) { return text.size(); }

asio::awaitable<std::size_t> measure(std::string text) {
#ifdef COGI_HAZARD
  // GCC 12 would destroy this lambda (and its copy of the string) twice.
  co_return co_await cogi::async::run_blocking([text] { return text.size(); });
#else
  const std::size_t a = co_await cogi::async::run_blocking(length_of, text);
  const std::size_t b = co_await cogi::async::run_blocking([](const std::string& t) { return t.size(); }, text);
  auto named = [text] { return text.size(); };
  const std::size_t c = co_await cogi::async::run_blocking(named);
  co_return a + b + c;
#endif
}
