#pragma once
// Hands memory the allocator holds free back to the system, now rather than when its
// decay timer next gets a chance to run (that needs allocator activity, and an idle
// loop has none). The parking lot calls it after a burst of connections went idle.
// In a program that links jemalloc (cogi::jemalloc) this purges its dirty pages, a few
// milliseconds for 100 MB; with glibc's malloc it does nothing: malloc_trim walks the
// whole heap and was measured to block a loop for over 100 ms.

namespace cogi::runtime {

void release_free_memory();

}  // namespace cogi::runtime
