#pragma once
// A prepared statement, declared once on the database (database::prepare) and prepared
// by the pools on every connection they open, before it serves a query.

#include <cstddef>
#include <string>

namespace cogi::postgres {

namespace detail {
struct statement_definition {
  std::string name;  // "cogi_1", "cogi_2", ...: the server-side name
  std::string sql;
};
}  // namespace detail

// A handle: small, trivially copyable, valid as long as its database.
class statement {
 public:
  explicit statement(const detail::statement_definition& definition) : definition_(&definition) {}

  const std::string& sql() const { return definition_->sql; }
  const char* name() const { return definition_->name.c_str(); }

 private:
  const detail::statement_definition* definition_;
};

}  // namespace cogi::postgres
