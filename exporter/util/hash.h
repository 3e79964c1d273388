// Non-cryptographic hashing for identities that only need to change when content
// changes (ETags, configuration fingerprints). Never for secrets. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace observd {

// 64-bit FNV-1a of `data`.
uint64_t Fnv1a64(std::string_view data);

// Fnv1a64 as 16 lowercase hex digits.
std::string Fnv1a64Hex(std::string_view data);

}  // namespace observd
