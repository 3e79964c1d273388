// The one reader of secret files (the Redis password file of observd and observd-demo).
// Rule: the file holds the secret on one line; one trailing "\n" or "\r\n" is dropped.
// Empty secrets, further line breaks, NUL bytes and files over 4 KiB are refused.
// Pure apart from reading the file; thread-safe.
#pragma once

#include <string>

#include "util/result.h"

namespace observd {

inline constexpr size_t kMaxSecretBytes = 4096;

// The secret in `path`, or "<path>: <problem>"; the error never contains any of the
// file's content.
Result<std::string> ReadSecretFile(const std::string& path);

// The same rule applied to file content already in memory (for tests and the fuzzer):
// the secret, or the problem (without the content).
Result<std::string> ParseSecretText(std::string text);

}  // namespace observd
