// ReadFile is the one whole-file reader of observd's own files (config, web config,
// secrets, the embed tool's inputs): regular files only, with a size limit, so a FIFO or
// device named by mistake never blocks and a huge file is refused unread. Thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "util/result.h"

namespace observd {

// The content of the regular file at `path`. Errors are the problem alone, without the
// path or any content (callers prefix their context): the strerror text of a failed
// open or read ("No such file or directory"), "not a regular file", or "larger than
// <max_bytes> bytes".
Result<std::string> ReadFile(const std::string& path, size_t max_bytes);

// True when `path` does not exist (ENOENT): a missing file, as opposed to an unreadable
// one.
bool FileIsMissing(const std::string& path);

}  // namespace observd
