#include "server/runtime/memory_release.hpp"

#if defined(COGI_WITH_JEMALLOC)
#include <jemalloc/jemalloc.h>
#endif

namespace cogi::runtime {

void release_free_memory() {
#if defined(COGI_WITH_JEMALLOC)
  // "arena.<all>.purge": MALLCTL_ARENAS_ALL is 4096.
  mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
#endif
}

}  // namespace cogi::runtime
