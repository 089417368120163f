// Asio keeps freed coroutine frames and handler blocks per thread and hands any cached
// block that is big enough to the next allocation: a small frame that is then held for
// long (an idle WebSocket's) keeps a large block. release_recycled_memory() empties those
// caches, so that what comes next is allocated at its own size.

#include "cogi/server/runtime/memory_release.hpp"

#include <gtest/gtest.h>
#include <malloc.h>

#include <cstddef>

#include <asio/detail/thread_context.hpp>
#include <asio/detail/thread_info_base.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>

namespace cogi::runtime {
namespace {

using asio::detail::thread_info_base;

constexpr std::size_t large = 1000;
constexpr std::size_t small = 100;

// On the loop's thread: frees a large block into the cache, then reports how big a
// block a small request gets, before and after release_recycled_memory().
template <class Purpose>
void measure(std::size_t& before, std::size_t& after) {
  thread_info_base* thread = asio::detail::thread_context::top_of_thread_call_stack();
  ASSERT_NE(thread, nullptr);
  thread_info_base::deallocate(Purpose(), thread, thread_info_base::allocate(Purpose(), thread, large), large);
  void* block = thread_info_base::allocate(Purpose(), thread, small);
  before = malloc_usable_size(block);
  thread_info_base::deallocate(Purpose(), thread, block, small);
  release_recycled_memory();
  block = thread_info_base::allocate(Purpose(), thread, small);
  after = malloc_usable_size(block);
  thread_info_base::deallocate(Purpose(), thread, block, small);
}

template <class Purpose>
void expect_small_block_after_release() {
  asio::io_context loop;
  std::size_t before = 0;
  std::size_t after = 0;
  asio::post(loop, [&] { measure<Purpose>(before, after); });
  loop.run();
  EXPECT_GE(before, large) << "Asio no longer reuses a larger cached block: the release may be unneeded";
  EXPECT_LT(after, large);
  EXPECT_GE(after, small);
}

TEST(ReleaseRecycledMemory, TheNextCoroutineFrameGetsABlockOfItsOwnSize) {
  expect_small_block_after_release<thread_info_base::awaitable_frame_tag>();
}

TEST(ReleaseRecycledMemory, TheNextHandlerGetsABlockOfItsOwnSize) {
  expect_small_block_after_release<thread_info_base::default_tag>();
}

}  // namespace
}  // namespace cogi::runtime
