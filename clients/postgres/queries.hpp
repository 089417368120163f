#pragma once
// The query calls shared by postgres::database (any connection of this loop's pool) and
// postgres::transaction (its own connection). A query names a prepared statement or
// gives SQL text (parsed on every call: prefer statements on hot paths), and takes its
// parameters as arguments (params.hpp); rows come back typed (result.hpp):
//
//   world w = co_await db.query_one<world>(world_by_id, id);
//   std::optional<user> u = co_await db.query_optional<user>(user_by_name, name);
//   std::vector<fortune> all = co_await db.query<fortune>(all_fortunes);
//   std::uint64_t changed = co_await db.execute("UPDATE t SET n = n + 1 WHERE id = $1", id);
//   postgres::result raw = co_await db.run(stmt, a, b);
//
// The arguments are copied into the call, so temporaries are fine.

#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <asio/awaitable.hpp>

#include "cogi/clients/postgres/connection.hpp"
#include "cogi/clients/postgres/params.hpp"
#include "cogi/clients/postgres/result.hpp"
#include "cogi/clients/postgres/statement.hpp"

namespace cogi::postgres {

// A prepared statement, or SQL text.
template <class T>
concept query_source = std::same_as<std::decay_t<T>, statement> || std::convertible_to<T, std::string_view>;

namespace detail {

// What a source becomes inside the call: statements and string literals as they are,
// other text as an owned std::string (libpq wants NUL-terminated text).
template <class T>
using stored_source_t = std::conditional_t<std::same_as<std::decay_t<T>, statement> ||
                                               std::same_as<std::decay_t<T>, const char*> ||
                                               std::same_as<std::decay_t<T>, char*>,
                                           std::decay_t<T>, std::string>;

inline call make_call(const statement& s, param_arrays params) {
  return {call::kind::prepared, s.name(), nullptr, params};
}
inline call make_call(const char* sql, param_arrays params) { return {call::kind::text, nullptr, sql, params}; }
inline call make_call(const std::string& sql, param_arrays params) { return make_call(sql.c_str(), params); }

}  // namespace detail

// A pipelined batch: many queries sent at once, one completion for all (database::run,
// transaction::run). Each query still has its own Sync: one failing does not stop the
// others, and run() throws the first failure after all have answered.
//
//   postgres::batch reads;
//   for (int id : ids) reads.add(world_by_id, id);
//   std::vector<postgres::result> rows = co_await db.run(reads);
class batch {
 public:
  template <query_source Source, parameter... Args>
  batch& add(Source&& query, const Args&... args) {
    sources_.emplace_back(std::forward<Source>(query));
    params_.add(static_cast<const param_t<Args>&>(args)...);
    return *this;
  }
  std::size_t size() const { return sources_.size(); }
  bool empty() const { return sources_.empty(); }

  // The calls, valid until the next add().
  std::vector<call> calls();

 private:
  struct queued_query {
    explicit queued_query(const statement& s) : prepared(s) {}
    template <class Text>
      requires(!std::same_as<std::decay_t<Text>, statement>)
    explicit queued_query(Text&& text) : sql(std::string(std::string_view(text))) {}
    std::optional<statement> prepared;
    std::string sql;
  };
  std::vector<queued_query> sources_;
  detail::param_store params_;
};

template <class Derived>
class query_methods {
 public:
  // The statement's whole result.
  template <query_source Source, parameter... Args>
  asio::awaitable<result> run(Source source, Args... args) {
    const detail::stored_source_t<Source> stored(std::move(source));
    const detail::fixed_params<sizeof...(Args)> params(static_cast<const param_t<Args>&>(args)...);
    const call c = detail::make_call(stored, params.arrays());
    co_return co_await self().run_call(c);
  }

  // The only row, as T (result.hpp); row_count_error unless there is exactly one.
  template <class T, query_source Source, parameter... Args>
  asio::awaitable<T> query_one(Source source, Args... args) {
    const result r = co_await run(std::move(source), std::move(args)...);
    co_return r.template one<T>();
  }

  // The row as T, or std::nullopt when there is none.
  template <class T, query_source Source, parameter... Args>
  asio::awaitable<std::optional<T>> query_optional(Source source, Args... args) {
    const result r = co_await run(std::move(source), std::move(args)...);
    co_return r.template optional<T>();
  }

  // Every row, as T.
  template <class T, query_source Source, parameter... Args>
  asio::awaitable<std::vector<T>> query(Source source, Args... args) {
    const result r = co_await run(std::move(source), std::move(args)...);
    co_return r.template all<T>();
  }

  // How many rows the statement inserted, updated or deleted.
  template <query_source Source, parameter... Args>
  asio::awaitable<std::uint64_t> execute(Source source, Args... args) {
    const result r = co_await run(std::move(source), std::move(args)...);
    co_return r.affected_rows();
  }

  // Every query of the batch, pipelined; their results in order.
  asio::awaitable<std::vector<result>> run(batch& queries) {
    const std::vector<call> calls = queries.calls();
    co_return co_await self().run_calls(calls);
  }

 private:
  Derived& self() { return static_cast<Derived&>(*this); }
};

}  // namespace cogi::postgres
