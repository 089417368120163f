#include "cogi/server/runtime/memory_release.hpp"

#include <cstddef>

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

}  // namespace cogi::runtime
