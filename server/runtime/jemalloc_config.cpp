// jemalloc's settings (it reads this symbol of the program's when it starts), for the
// builds that link it (CMake option COGI_JEMALLOC, on outside sanitizer builds).
//
// cogi uses jemalloc because glibc's malloc keeps memory resident after bursts: when
// 10,000 connections arrive and then idle, the coroutine frames that served them are
// freed, but heap pages that still hold one small live object each stay resident, ~5 KB
// per idle connection (docs/performance.md allows 2 KiB). jemalloc keeps objects of one size
// class together, so freed frames empty whole pages, which it returns
//   dirty_decay_ms:1000   a second after they were freed, when it next allocates or
//                         frees (an idle loop does neither: the parking lot asks for
//                         a purge after a burst, server/runtime/memory_release.hpp);
//   muzzy_decay_ms:0      with MADV_DONTNEED at once (MADV_FREE pages would still count
//                         as resident until the kernel wants them).
// No background_thread: a process with --loops 1 stays single-threaded, which spares
// the kernel reference counting on every socket call.
extern "C" {
extern const char* malloc_conf;  // declared here, for -Wmissing-declarations
const char* malloc_conf = "dirty_decay_ms:1000,muzzy_decay_ms:0";
}
