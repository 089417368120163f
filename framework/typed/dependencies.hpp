#pragma once
// Dependencies (FastAPI's Depends): a provider computes something a handler needs, from
// the request, before the handler runs; the handler declares it as a parameter.
//
//   cogi::task<user> current_user(cogi::header<"authorization", std::string> auth) {
//     if (!auth->starts_with("Bearer ")) throw cogi::http_exception(401, "not signed in");
//     co_return co_await users.by_authorization(*auth);
//   }
//   app.get("/me", [](cogi::depends<current_user> me) -> cogi::task<user_out> { co_return view(*me); });
//
// A provider is a function or a lambda without captures, a coroutine (-> task<T>) or
// not (-> T), whose parameters are the same as a handler's: typed parameters, the
// request&, background_tasks&, and other dependencies. Its parameters' problems join
// the request's 422; what it throws (a 401) answers the request.
//
// Each provider runs at most once per request, however many handlers' and providers'
// parameters ask for it. Its value lives until the response has been sent, then is
// destroyed, newest first (request_lifetime.hpp): a type whose destructor releases
// something (a pooled connection, a transaction that rolls back unless committed) is
// the cleanup, as FastAPI's `yield` dependencies are.

#include <type_traits>

#include "cogi/framework/typed/signature.hpp"

namespace cogi {

template <auto Provider>
struct depends {
  using result = typename detail::awaitable_result<typename detail::signature<decltype(Provider)>::result>::type;
  static_assert(!std::is_void_v<result>, "cogi::depends<P>: a provider returns the value it provides");
  using value_type = std::remove_cvref_t<result>;
  static constexpr auto provider = Provider;

  value_type* ptr = nullptr;  // into the request's lifetime (see above)

  value_type& operator*() const { return *ptr; }
  value_type* operator->() const { return ptr; }
  value_type& get() const { return *ptr; }
};

}  // namespace cogi
