#pragma once
// The type OIDs of PostgreSQL's built-in types that the client reads (pg_type.oid; they
// are fixed in PostgreSQL's catalog, src/include/catalog/pg_type.dat).

namespace cogi::postgres::oid {

inline constexpr unsigned boolean = 16;
inline constexpr unsigned bytea = 17;
inline constexpr unsigned char_ = 18;
inline constexpr unsigned name = 19;
inline constexpr unsigned int8 = 20;
inline constexpr unsigned int2 = 21;
inline constexpr unsigned int4 = 23;
inline constexpr unsigned text = 25;
inline constexpr unsigned oid = 26;
inline constexpr unsigned json = 114;
inline constexpr unsigned float4 = 700;
inline constexpr unsigned float8 = 701;
inline constexpr unsigned unknown = 705;
inline constexpr unsigned bpchar = 1042;
inline constexpr unsigned varchar = 1043;
inline constexpr unsigned jsonb = 3802;

}  // namespace cogi::postgres::oid
