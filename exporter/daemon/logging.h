// Logging configures spdlog's default logger: stderr (journald keeps it), logfmt or
// JSON lines. Call from the main thread at start-up and on reload.
#pragma once

#include <string>

namespace observd {

// `format` is "logfmt" or "json"; `level` one of spdlog's names. Returns false on an
// unknown level or format (the logger is left unchanged).
bool ConfigureLogging(const std::string& level, const std::string& format);

// Escapes `s` for a double-quoted logfmt or JSON string value.
std::string EscapeLogValue(const std::string& s);

}  // namespace observd
