// The JSON form of an AppSnapshot (model/app_snapshot.h) stored under the shared cache
// key, and the text sanitizing every string read from Redis goes through. Pure
// functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "model/app_snapshot.h"
#include "util/result.h"

namespace observd {

// Serializes to compact JSON tagged with a format version.
std::string SerializeSnapshot(const AppSnapshot& snapshot);

// Parses what SerializeSnapshot wrote. Anything else (foreign JSON, wrong version,
// wrong types, truncation) fails, saying why; never throws.
Result<AppSnapshot> DeserializeSnapshot(std::string_view text);

// Makes `raw` safe to keep and show: invalid UTF-8 and control bytes become U+FFFD,
// and text beyond `max_chars` code points is cut and ends with "…".
std::string SanitizeText(std::string_view raw, size_t max_chars = 200);

}  // namespace observd
