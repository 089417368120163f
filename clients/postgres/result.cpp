#include "cogi/clients/postgres/result.hpp"

#include <bit>
#include <cstring>

#include <libpq-fe.h>

#include "cogi/clients/postgres/oids.hpp"

namespace cogi::postgres {

namespace {

// Big-endian (network order) integers, as the binary format sends them.
template <class T>
T read_be(std::string_view bytes) {
  std::make_unsigned_t<T> v = 0;
  for (unsigned char c : bytes) v = static_cast<std::make_unsigned_t<T>>((v << 8) | c);
  return static_cast<T>(v);
}

const char* type_name(unsigned type) {
  switch (type) {
    case oid::boolean: return "bool";
    case oid::bytea: return "bytea";
    case oid::char_: return "\"char\"";
    case oid::name: return "name";
    case oid::int8: return "int8";
    case oid::int2: return "int2";
    case oid::int4: return "int4";
    case oid::text: return "text";
    case oid::oid: return "oid";
    case oid::json: return "json";
    case oid::float4: return "float4";
    case oid::float8: return "float8";
    case oid::unknown: return "unknown";
    case oid::bpchar: return "char(n)";
    case oid::varchar: return "varchar";
    case oid::jsonb: return "jsonb";
    default: return nullptr;
  }
}

}  // namespace

bool field::is_null() const { return PQgetisnull(result_, row_, column_) != 0; }
unsigned field::type() const { return PQftype(result_, column_); }
std::string_view field::name() const { return PQfname(result_, column_); }

std::string_view field::bytes() const {
  return {PQgetvalue(result_, row_, column_), static_cast<std::size_t>(PQgetlength(result_, row_, column_))};
}

void field::fail(std::string_view what) const {
  std::string message = "column " + std::to_string(column_ + 1) + " (\"" + std::string(name()) + "\", ";
  if (const char* known = type_name(type())) message += known;
  else message += "type oid " + std::to_string(type());
  message += "): ";
  message += what;
  throw decode_error(message);
}

namespace detail {

std::int64_t read_integer(const field& f) {
  const std::string_view b = f.bytes();
  switch (f.type()) {
    case oid::int2: if (b.size() == 2) return read_be<std::int16_t>(b); break;
    case oid::int4: if (b.size() == 4) return read_be<std::int32_t>(b); break;
    case oid::int8: if (b.size() == 8) return read_be<std::int64_t>(b); break;
    case oid::oid: if (b.size() == 4) return read_be<std::uint32_t>(b); break;
    default: f.fail("cannot be read as an integer (cast it in SQL)");
  }
  f.fail("has a malformed binary value");
}

double read_floating(const field& f) {
  const std::string_view b = f.bytes();
  switch (f.type()) {
    case oid::float4: if (b.size() == 4) return std::bit_cast<float>(read_be<std::uint32_t>(b)); break;
    case oid::float8: if (b.size() == 8) return std::bit_cast<double>(read_be<std::uint64_t>(b)); break;
    default: f.fail("cannot be read as a floating-point number (cast it to float8 in SQL)");
  }
  f.fail("has a malformed binary value");
}

bool read_bool(const field& f) {
  const std::string_view b = f.bytes();
  if (f.type() != oid::boolean) f.fail("cannot be read as bool");
  if (b.size() != 1) f.fail("has a malformed binary value");
  return b[0] != 0;
}

std::string_view read_text(const field& f) {
  const std::string_view b = f.bytes();
  switch (f.type()) {
    case oid::text: case oid::varchar: case oid::bpchar: case oid::name: case oid::json: case oid::unknown:
    case oid::char_:
      return b;
    case oid::jsonb:
      // Binary jsonb is a version byte (1) and the document's text.
      if (b.empty() || b[0] != 1) f.fail("has an unknown jsonb version");
      return b.substr(1);
    default: f.fail("cannot be read as text (cast it with ::text in SQL)");
  }
}

void fail_null(const field& f, std::string_view type_name_wanted) {
  if (f.is_null()) f.fail("is NULL; read it as std::optional<" + std::string(type_name_wanted) + ">");
}

void fail_range(const field& f) { f.fail("holds a value out of the range of the integer type asked for"); }

void fail_columns(const row& r, std::size_t wanted, std::string_view what) {
  throw decode_error("the row has " + std::to_string(r.size()) + " columns, the type asked for has " +
                     std::to_string(wanted) + " " + std::string(what));
}

}  // namespace detail

bytea field_traits<bytea>::read(const field& f) {
  detail::fail_null(f, "bytea");
  if (f.type() != oid::bytea) f.fail("cannot be read as bytea");
  const std::string_view b = f.bytes();
  const auto* data = reinterpret_cast<const std::byte*>(b.data());
  return bytea(data, data + b.size());
}

std::size_t row::size() const { return static_cast<std::size_t>(PQnfields(result_)); }

field row::at(std::size_t column) const {
  if (column >= size()) {
    throw decode_error("no column " + std::to_string(column + 1) + ": the row has " + std::to_string(size()));
  }
  return (*this)[column];
}

field row::at(std::string_view column_name) const {
  const std::string name(column_name);
  const int column = PQfnumber(result_, name.c_str());
  if (column < 0) throw decode_error("no column named \"" + name + "\"");
  return (*this)[static_cast<std::size_t>(column)];
}

std::size_t result::size() const { return result_ ? static_cast<std::size_t>(PQntuples(result_.get())) : 0; }
std::size_t result::columns() const { return result_ ? static_cast<std::size_t>(PQnfields(result_.get())) : 0; }

std::uint64_t result::affected_rows() const {
  if (!result_) return 0;
  const char* text = PQcmdTuples(result_.get());
  std::uint64_t n = 0;
  for (; *text >= '0' && *text <= '9'; ++text) n = n * 10 + static_cast<std::uint64_t>(*text - '0');
  return n;
}

void result::expect_rows(std::size_t at_least, std::size_t at_most) const {
  const std::size_t n = size();
  if (n >= at_least && n <= at_most) return;
  std::string wanted = at_least == at_most ? "exactly " + std::to_string(at_least) : "at most " + std::to_string(at_most);
  throw row_count_error("the query returned " + std::to_string(n) + " rows, " + wanted + " wanted");
}

void result::clear::operator()(pg_result* r) const { PQclear(r); }

}  // namespace cogi::postgres
