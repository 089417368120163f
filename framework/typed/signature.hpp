#pragma once
// What a handler's or a dependency provider's signature says, read at compile time: its
// parameter types and its result (a coroutine's result is the T of its task<T>).

#include <tuple>
#include <type_traits>

#include <asio/awaitable.hpp>

namespace cogi::detail {

template <class F>
struct signature_of;
template <class R, class... A>
struct signature_of<R (*)(A...)> {
  using result = R;
  using args = std::tuple<A...>;
};
template <class R, class... A>
struct signature_of<R (*)(A...) noexcept> : signature_of<R (*)(A...)> {};
template <class C, class R, class... A>
struct signature_of<R (C::*)(A...)> : signature_of<R (*)(A...)> {};
template <class C, class R, class... A>
struct signature_of<R (C::*)(A...) const> : signature_of<R (*)(A...)> {};
template <class C, class R, class... A>
struct signature_of<R (C::*)(A...) noexcept> : signature_of<R (*)(A...)> {};
template <class C, class R, class... A>
struct signature_of<R (C::*)(A...) const noexcept> : signature_of<R (*)(A...)> {};

template <class F>
concept has_one_call_operator = requires { &F::operator(); };

// A function, a function pointer or an object with one, non-template, call operator:
// not a generic lambda, whose parameter types are unknown until it is called.
template <class F>
constexpr bool signature_known() {
  using D = std::decay_t<F>;
  if constexpr (std::is_function_v<std::remove_pointer_t<D>>) {
    return true;
  } else {
    return has_one_call_operator<D>;
  }
}

template <class F>
struct signature_for {
  using type = signature_of<std::decay_t<F>>;
};
template <class F>
  requires has_one_call_operator<std::decay_t<F>>
struct signature_for<F> {
  using type = signature_of<decltype(&std::decay_t<F>::operator())>;
};
template <class F>
using signature = typename signature_for<F>::type;

template <class T>
struct awaitable_result {
  static constexpr bool is_awaitable = false;
  using type = T;
};
template <class T, class E>
struct awaitable_result<asio::awaitable<T, E>> {
  static constexpr bool is_awaitable = true;
  using type = T;
};

}  // namespace cogi::detail
