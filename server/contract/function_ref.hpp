#pragma once
// A non-owning, trivially copyable reference to a callable: what receive/send are.
// The callable must outlive every call (the server keeps it alive for the whole
// request; a middleware's wrapper lives in the middleware's own coroutine frame).
// Unlike std::function it never allocates, which keeps the request path heap-free.

#include <memory>
#include <type_traits>
#include <utility>

namespace cogi {

template <class Signature>
class function_ref;

template <class Result, class... Args>
class function_ref<Result(Args...)> {
 public:
  template <class Callable>
    requires(!std::is_same_v<std::remove_cvref_t<Callable>, function_ref> &&
             std::is_invocable_r_v<Result, Callable&, Args...>)
  function_ref(Callable&& callable) noexcept  // NOLINT: implicit by design
      : object_(const_cast<void*>(static_cast<const void*>(std::addressof(callable)))),
        thunk_([](void* object, Args... args) -> Result {
          return (*static_cast<std::remove_reference_t<Callable>*>(object))(
              std::forward<Args>(args)...);
        }) {}

  Result operator()(Args... args) const { return thunk_(object_, std::forward<Args>(args)...); }

 private:
  void* object_;
  Result (*thunk_)(void*, Args...);
};

}  // namespace cogi
