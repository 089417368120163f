#pragma once
// The real PostgreSQL and redis-server the database tests talk to, started by ctest's
// Services.Start fixture (scripts/test_services.sh) for the whole run. Tests that need
// them declare the fixture (cogi_service_test in tests/CMakeLists.txt); the state
// directory is the build's test-services/, or $COGI_TEST_SERVICES.

#include <cstdint>
#include <string>
#include <string_view>

namespace cogi::testing {

struct test_services {
  std::string database_url;     // postgresql://postgres@127.0.0.1:PORT/cogi_test
  std::string hello_world_url;  // the TechEmpower database
  std::string redis_host;
  std::uint16_t redis_port = 0;
};

// Read from the state directory; throws std::runtime_error (a failing test, never a
// skipped one) when the services are not there.
const test_services& services();

// Runs scripts/test_services.sh COMMAND STATE_DIR (restart-postgres, stop-postgres,
// start-postgres) and waits for it; throws when it fails.
void control_services(std::string_view command);

}  // namespace cogi::testing
