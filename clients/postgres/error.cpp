#include "cogi/clients/postgres/error.hpp"

namespace cogi::postgres {

namespace {
std::string describe(const std::string& sqlstate, const std::string& message, const std::string& detail) {
  std::string what = message + " (SQLSTATE " + sqlstate + ")";
  if (!detail.empty()) what += ": " + detail;
  return what;
}
}  // namespace

server_error::server_error(std::string sqlstate, std::string message, std::string detail)
    : error(describe(sqlstate, message, detail)),
      sqlstate_(std::move(sqlstate)),
      message_(std::move(message)),
      detail_(std::move(detail)) {}

connection_lost::connection_lost(std::string_view why)
    : error("the database connection was lost: " + std::string(why)) {}

unavailable::unavailable(std::string_view why) : error("the database is unavailable: " + std::string(why)) {}

query_timeout::query_timeout() : error("the database did not answer in time (query abandoned)") {}

}  // namespace cogi::postgres
