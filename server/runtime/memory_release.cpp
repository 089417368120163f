#include "cogi/server/runtime/memory_release.hpp"

#include <cstddef>

#include <asio/detail/memory.hpp>
#include <asio/detail/thread_context.hpp>
#include <asio/detail/thread_info_base.hpp>

// jemalloc's control call, if the program links jemalloc (cogi::jemalloc): a weak
// reference, so that the runtime itself never depends on which allocator a program
// chose; without jemalloc it stays null.
extern "C" int mallctl(const char* name, void* oldp, std::size_t* oldlenp, void* newp, std::size_t newlen)
    __attribute__((weak));

namespace cogi::runtime {

void release_free_memory() {
  // "arena.<all>.purge": MALLCTL_ARENAS_ALL is 4096.
  if (mallctl != nullptr) mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
}

namespace {

// Asio 1.22's caches (asio/detail/thread_info_base.hpp) have no call that empties them;
// but every cached block satisfies the smallest request, so asking for one block per
// slot and freeing each outright takes them all (a slot that was empty costs one small
// malloc and free).
template <class Purpose>
void empty_cache(asio::detail::thread_info_base* thread) {
  for (int slot = 0; slot < Purpose::cache_size; ++slot)
    asio::aligned_delete(asio::detail::thread_info_base::allocate(Purpose(), thread, 1));
}

}  // namespace

void release_recycled_memory() {
  using asio::detail::thread_info_base;
  thread_info_base* const thread = asio::detail::thread_context::top_of_thread_call_stack();
  if (thread == nullptr) return;
  empty_cache<thread_info_base::awaitable_frame_tag>(thread);
  empty_cache<thread_info_base::default_tag>(thread);
}

}  // namespace cogi::runtime
