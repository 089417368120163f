#include "tests/support/test_services.hpp"

#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>

namespace cogi::testing {

namespace {

// Where ctest's Services.Start fixture put its state (tests/CMakeLists.txt); the
// environment may name another (a developer's own services).
std::string state_dir() {
  const char* value = std::getenv("COGI_TEST_SERVICES");
  return value != nullptr && *value != '\0' ? value : COGI_TEST_SERVICES_DIR;
}

test_services load() {
  const std::string path = state_dir() + "/env";
  std::ifstream file(path);
  if (!file) {
    throw std::runtime_error("no " + path + ": run the test through ctest, whose Services.Start fixture starts "
                             "PostgreSQL and redis-server (scripts/test_services.sh)");
  }
  std::map<std::string, std::string> values;
  for (std::string line; std::getline(file, line);) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  test_services s;
  s.database_url = values.at("COGI_TEST_DATABASE_URL");
  s.hello_world_url = values.at("COGI_TEST_HELLO_WORLD_URL");
  s.redis_host = values.at("COGI_TEST_REDIS_HOST");
  s.redis_port = static_cast<std::uint16_t>(std::stoi(values.at("COGI_TEST_REDIS_PORT")));
  return s;
}

}  // namespace

const test_services& services() {
  static const test_services loaded = load();
  return loaded;
}

void control_services(std::string_view command) {
  const std::string line =
      std::string(COGI_TEST_SERVICES_SCRIPT) + " " + std::string(command) + " " + state_dir() + " >&2";
  if (std::system(line.c_str()) != 0) throw std::runtime_error("failed: " + line);
}

}  // namespace cogi::testing
