#include "daemon/malloc_tuning.h"

#include <malloc.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace observd {
namespace {

constexpr std::string_view kThreadCacheName = "glibc.malloc.tcache_count";
constexpr int kThresholdBytes = 128 * 1024;
// Set across the re-exec only: glibc's loader may rewrite GLIBC_TUNABLES in place, so
// the tunables the new image sees cannot be what stops a second re-exec.
constexpr char kReexecMarker[] = "OBSERVD_MALLOC_REEXEC";

// Whether the colon-separated tunables list sets `name`.
bool NamesTunable(std::string_view tunables, std::string_view name) {
  while (!tunables.empty()) {
    size_t colon = tunables.find(':');
    std::string_view item = tunables.substr(0, colon);
    if (item.substr(0, item.find('=')) == name) return true;
    if (colon == std::string_view::npos) break;
    tunables.remove_prefix(colon + 1);
  }
  return false;
}

}  // namespace

std::optional<std::string> TunablesWithoutThreadCache(const char* current) {
  std::string_view now = current ? current : "";
  if (NamesTunable(now, kThreadCacheName)) return std::nullopt;
  std::string value(now);
  if (!value.empty()) value += ':';
  value += kNoThreadCacheTunable;
  return value;
}

std::string BoundMallocCaches(char** argv) {
  std::string error;
  if (getenv(kReexecMarker)) {
    unsetenv(kReexecMarker);  // this is the re-executed image
  } else if (auto tunables = TunablesWithoutThreadCache(getenv("GLIBC_TUNABLES"))) {
    setenv("GLIBC_TUNABLES", tunables->c_str(), 1);
    setenv(kReexecMarker, "1", 1);
    execv("/proc/self/exe", argv);  // returns only on failure
    error = std::string("re-exec with ") + kNoThreadCacheTunable + " failed: " + strerror(errno);
    unsetenv(kReexecMarker);
  }
  // Two arenas instead of one per worker thread: ~5 MiB less resident memory, no
  // measurable cost (request handlers allocate little). A fixed threshold also stops
  // glibc from raising the trim threshold to twice the largest block ever freed.
  mallopt(M_ARENA_MAX, 2);
  mallopt(M_MMAP_THRESHOLD, kThresholdBytes);
  mallopt(M_TRIM_THRESHOLD, kThresholdBytes);
  return error;
}

}  // namespace observd
