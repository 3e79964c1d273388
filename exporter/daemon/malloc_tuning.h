// MallocTuning bounds what glibc's malloc keeps resident (mallopt, in process) and
// says whether glibc's per-thread cache is off, which only the environment observd is
// started with can do (systemd/observd.service sets it). BoundMallocArenas runs first
// in main(), before any other thread exists; the rest only reads and is thread-safe.
#pragma once

#include <optional>
#include <string>

#include "util/result.h"

namespace observd {

// The value GLIBC_TUNABLES (tunables(7); colon-separated name=value items, null when
// unset) gives glibc.malloc.tcache_count, or nullopt when it names none. Glibc reads
// tunables only at exec, so this is the setting the running process has.
std::optional<std::string> ThreadCacheTunable(const char* tunables);

// One log line saying whether glibc's per-thread cache of freed blocks is off, given
// GLIBC_TUNABLES (null when unset), and how to change it.
std::string ThreadCacheNote(const char* tunables);
// The same for this process's GLIBC_TUNABLES; logged once the daemon listens.
std::string ThreadCacheNote();

// Limits malloc to two arenas and fixes the trim and mmap thresholds at 128 KiB, so
// freed memory goes back to the kernel instead of following the largest block ever
// freed. Fails naming the first setting glibc rejected (the others still apply).
Result<> BoundMallocArenas();

}  // namespace observd
