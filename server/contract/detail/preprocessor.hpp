#pragma once
// The preprocessor loop behind COGI_MODEL, COGI_ENUM and COGI_OPTION_SETTERS: applies a
// macro to each of up to 256 arguments, comma-separated or not. C++20's __VA_OPT__ ends the recursion; each
// COGI_PP_EXPAND level rescans the text, which lets the deferred call run once more.

#define COGI_PP_PARENS ()
#define COGI_PP_EXPAND(...) COGI_PP_EXPAND4(COGI_PP_EXPAND4(COGI_PP_EXPAND4(COGI_PP_EXPAND4(__VA_ARGS__))))
#define COGI_PP_EXPAND4(...) COGI_PP_EXPAND3(COGI_PP_EXPAND3(COGI_PP_EXPAND3(COGI_PP_EXPAND3(__VA_ARGS__))))
#define COGI_PP_EXPAND3(...) COGI_PP_EXPAND2(COGI_PP_EXPAND2(COGI_PP_EXPAND2(COGI_PP_EXPAND2(__VA_ARGS__))))
#define COGI_PP_EXPAND2(...) COGI_PP_EXPAND1(COGI_PP_EXPAND1(COGI_PP_EXPAND1(COGI_PP_EXPAND1(__VA_ARGS__))))
#define COGI_PP_EXPAND1(...) __VA_ARGS__

// COGI_PP_FOR_EACH(m, a, b, c) -> m(a), m(b), m(c)
#define COGI_PP_FOR_EACH(macro, ...) __VA_OPT__(COGI_PP_EXPAND(COGI_PP_FOR_EACH_STEP(macro, __VA_ARGS__)))
#define COGI_PP_FOR_EACH_STEP(macro, first, ...) \
  macro(first) __VA_OPT__(, COGI_PP_FOR_EACH_AGAIN COGI_PP_PARENS(macro, __VA_ARGS__))
#define COGI_PP_FOR_EACH_AGAIN() COGI_PP_FOR_EACH_STEP

// COGI_PP_FOR_EACH_JOINED(m, a, b) -> m(a) m(b)
#define COGI_PP_FOR_EACH_JOINED(macro, ...) __VA_OPT__(COGI_PP_EXPAND(COGI_PP_FOR_EACH_JOINED_STEP(macro, __VA_ARGS__)))
#define COGI_PP_FOR_EACH_JOINED_STEP(macro, first, ...) \
  macro(first) __VA_OPT__(COGI_PP_FOR_EACH_JOINED_AGAIN COGI_PP_PARENS(macro, __VA_ARGS__))
#define COGI_PP_FOR_EACH_JOINED_AGAIN() COGI_PP_FOR_EACH_JOINED_STEP

#define COGI_PP_CAT(a, b) COGI_PP_CAT_I(a, b)
#define COGI_PP_CAT_I(a, b) a##b

// 1 when the argument is parenthesised ("(title, max_length(80))"), else 0 ("title").
#define COGI_PP_IS_PAREN(x) COGI_PP_IS_PAREN_CHECK(COGI_PP_IS_PAREN_PROBE x)
#define COGI_PP_IS_PAREN_PROBE(...) ~, 1,
#define COGI_PP_IS_PAREN_CHECK(...) COGI_PP_IS_PAREN_SECOND(__VA_ARGS__, 0, ~)
#define COGI_PP_IS_PAREN_SECOND(a, b, ...) b
