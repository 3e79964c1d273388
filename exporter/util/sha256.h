// SHA-256 (FIPS 180-4), for keys and digests that need no OpenSSL dependency (the
// Basic-auth cache of http/basic_auth.cc). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace observd {

// The 32-byte digest of `data` (raw bytes, not hex).
std::string Sha256(std::string_view data);

}  // namespace observd
