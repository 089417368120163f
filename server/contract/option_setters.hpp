#pragma once
// Options are aggregates: designated initialisers name only what differs from the
// defaults, `cogi::cors({.allow_origins = {"*"}, .allow_methods = {"GET", "POST"}})`,
// but C++20 wants them in declaration order, and GCC refuses any other. Every options
// struct therefore also has a setter per field, `with_<field>(value)`, which can come in
// any order and chain, on a temporary or a named value:
//
//   auto options = cogi::cors_options{}.with_allow_methods({"GET", "POST"}).with_allow_origins({"*"});
//
// COGI_OPTION_SETTERS(field, ...) at the end of a struct declares them.

#include <type_traits>
#include <utility>

#include "cogi/server/contract/detail/preprocessor.hpp"

#define COGI_OPTION_SETTER(field)                                                                   \
  auto with_##field(decltype(field) value)& -> std::remove_cvref_t<decltype(*this)>& {             \
    field = std::move(value);                                                                       \
    return *this;                                                                                   \
  }                                                                                                 \
  auto with_##field(decltype(field) value)&& -> std::remove_cvref_t<decltype(*this)> {             \
    field = std::move(value);                                                                       \
    return std::move(*this);                                                                        \
  }

#define COGI_OPTION_SETTERS(...) COGI_PP_FOR_EACH_JOINED(COGI_OPTION_SETTER, __VA_ARGS__)
