#pragma once
// How tests wait: for a condition the code under test makes true (a counter the server
// keeps, a promise the app fulfils, bytes the server has read), never for a fixed time;
// and with time bounds stretched under the sanitizers, which slow everything down.

#include <chrono>
#include <functional>

#ifndef COGI_TEST_TIME_SCALE
#define COGI_TEST_TIME_SCALE 1
#endif

namespace cogi::testing {

// A time bound for this build: `bound` times COGI_TEST_TIME_SCALE (1 optimised, more
// under AddressSanitizer and ThreadSanitizer: tests/CMakeLists.txt).
constexpr std::chrono::milliseconds scaled(std::chrono::milliseconds bound) { return bound * COGI_TEST_TIME_SCALE; }

// Checks `condition` every few milliseconds until it holds (true) or `timeout` (already
// scaled by the caller if it should be) has passed (false).
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

}  // namespace cogi::testing
