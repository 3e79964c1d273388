// MallocTuning bounds the memory glibc's malloc keeps resident between requests.
// CivetWeb serves each connection on one of its worker threads (256 by default), and
// glibc gives every thread a private cache of freed blocks (tcache): resident memory
// then creeps up, round after round of load, as more workers have served requests.
// Called once, first thing in main(), before any other thread exists.
#pragma once

#include <optional>
#include <string>

namespace observd {

// The glibc tunable (GLIBC_TUNABLES, tunables(7)) that turns the per-thread cache off.
inline constexpr char kNoThreadCacheTunable[] = "glibc.malloc.tcache_count=0";

// The GLIBC_TUNABLES value to run with, given the current one (null when unset): the
// current one with kNoThreadCacheTunable appended, or nullopt when it already names
// glibc.malloc.tcache_count (the operator's choice, or this process after its re-exec).
std::optional<std::string> TunablesWithoutThreadCache(const char* current);

// Re-executes this binary (/proc/self/exe, same argv and pid) once with the thread
// cache off, because glibc reads tunables only at exec; then limits the arenas to two
// and fixes the trim and mmap thresholds at 128 KiB, so freed memory goes back to the
// kernel instead of following the largest block ever freed. Returns "" on success, or
// why the re-exec failed (glibc's thread cache then stays on; nothing else changes).
std::string BoundMallocCaches(char** argv);

}  // namespace observd
