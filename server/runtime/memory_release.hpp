#pragma once
// Hands memory the allocator holds free back to the system, now rather than when its
// decay timer next gets a chance to run (that needs allocator activity, and an idle
// loop has none). The parking lot calls it after a burst of connections went idle.
// In a program that links jemalloc (cogi::jemalloc) this purges its dirty pages, a few
// milliseconds for 100 MB; with glibc's malloc it does nothing: malloc_trim walks the
// whole heap and was measured to block a loop for over 100 ms.

namespace cogi::runtime {

void release_free_memory();

// Frees the blocks Asio keeps on this thread for reuse by coroutine frames and by
// operations' handlers (up to ASIO_RECYCLING_ALLOCATOR_CACHE_SIZE of each), so that
// what is allocated next gets blocks of its own size. Asio hands out any cached block
// that is big enough: frames and waits that will be held for long (an idle WebSocket's)
// would otherwise keep the larger blocks an HTTP exchange just freed, up to a kilobyte
// each. Call it on a loop's thread, inside its run(); elsewhere it does nothing.
void release_recycled_memory();

}  // namespace cogi::runtime
