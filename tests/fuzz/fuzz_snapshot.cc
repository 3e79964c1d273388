// fuzz_snapshot: DeserializeSnapshot on arbitrary bytes (the shared cache key in Redis
// is writable by anyone who can reach Redis). It must never crash or throw; whatever
// it accepts must serialize, re-parse to an equal AppSnapshot, and serialize the same.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "snapshot/app_snapshot.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto first = observd::DeserializeSnapshot(text);
  if (!first) {
    FUZZ_CHECK(!first.error().empty());
    return 0;
  }
  const std::string json = observd::SerializeSnapshot(*first);
  auto second = observd::DeserializeSnapshot(json);
  FUZZ_CHECK(second.ok());
  FUZZ_CHECK(*second == *first);
  FUZZ_CHECK(observd::SerializeSnapshot(*second) == json);
  return 0;
}
