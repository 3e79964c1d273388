// QuoteForError: how observd shows a value the operator gave inside an error message
// (config values, addresses): double quotes, one line, control bytes as \xNN, bounded.
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace observd {

// `text` in double quotes with '"' and '\' backslash-escaped, bytes < 0x20 and 0x7f as
// \xNN, and only the first `max_bytes` bytes shown (then "...").
std::string QuoteForError(std::string_view text, size_t max_bytes = 64);

}  // namespace observd
