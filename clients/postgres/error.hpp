#pragma once
// What a PostgreSQL call can throw. Every error is a postgres::error; the subclasses
// say what happened, so a handler (or an exception handler) can answer accordingly:
// - server_error: the server refused the statement (SQLSTATE and message,
//   is_unique_violation(), ...); the connection is fine;
// - connection_lost: the connection broke while the query was in flight (server
//   restarted, backend terminated, network); the query's fate is unknown, and the
//   pool reconnects by itself;
// - unavailable: no connection could be had within options::acquire_timeout (the
//   database is down, or every connection is held): answer 503;
// - query_timeout: no answer within options::query_timeout; the query was abandoned
//   (and cancelled on the server);
// - decode_error: a value could not be read as the C++ type asked for (a programming
//   error: the SQL and the type disagree); row_count_error (result.hpp) likewise.

#include <stdexcept>
#include <string>
#include <string_view>

namespace cogi::postgres {

class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class server_error : public error {
 public:
  server_error(std::string sqlstate, std::string message, std::string detail = {});

  // The five-character SQLSTATE code (Appendix A of PostgreSQL's manual), e.g. "23505".
  const std::string& sqlstate() const { return sqlstate_; }
  // The primary message, without the severity prefix.
  const std::string& message() const { return message_; }
  // The optional DETAIL line (e.g. which key was duplicated), or empty.
  const std::string& detail() const { return detail_; }

  bool is_unique_violation() const { return sqlstate_ == "23505"; }
  bool is_foreign_key_violation() const { return sqlstate_ == "23503"; }
  bool is_serialization_failure() const { return sqlstate_ == "40001"; }
  bool is_deadlock() const { return sqlstate_ == "40P01"; }
  // The statement ran past the server's statement_timeout (the backstop of
  // options::query_timeout), or was cancelled.
  bool is_query_canceled() const { return sqlstate_ == "57014"; }

 private:
  std::string sqlstate_;
  std::string message_;
  std::string detail_;
};

class connection_lost : public error {
 public:
  explicit connection_lost(std::string_view why);
};

class unavailable : public error {
 public:
  explicit unavailable(std::string_view why);
};

class query_timeout : public error {
 public:
  query_timeout();
};

class decode_error : public error {
 public:
  using error::error;
};

}  // namespace cogi::postgres
