// The one reader of secret files (the Redis password file of observd and observd-demo).
// Rule: the file holds the secret on one line; one trailing "\n" or "\r\n" is dropped.
// Empty secrets, further line breaks, NUL bytes and files over 4 KiB are refused.
// Pure apart from reading the file; thread-safe.
#pragma once

#include <string>

namespace observd {

inline constexpr size_t kMaxSecretBytes = 4096;

// Reads the secret in `path` into `*secret`. On failure returns false, leaves
// `*secret` unchanged and sets `*error` to "<path>: <problem>"; the error never
// contains any of the file's content.
bool ReadSecretFile(const std::string& path, std::string* secret, std::string* error);

// The same rule applied to file content already in memory (for tests): returns "" and
// sets `*secret`, or returns the problem (without the content).
std::string ParseSecretText(std::string text, std::string* secret);

}  // namespace observd
