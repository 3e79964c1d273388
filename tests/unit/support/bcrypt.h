// Bcrypt: a real bcrypt hash of a password (libcrypt), so tests of Basic auth need no
// secret in the tree. Cost 4 by default: fast enough for unit tests. Header-only.
#pragma once

#include <crypt.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace observd::testing {

inline std::string Bcrypt(const std::string& password, const char* prefix = "$2b$", int cost = 4) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  EXPECT_NE(crypt_gensalt_rn(prefix, cost, nullptr, 0, salt, sizeof(salt)), nullptr);
  auto data = std::make_unique<crypt_data>();
  const char* hash = crypt_r(password.c_str(), salt, data.get());
  EXPECT_NE(hash, nullptr);
  return hash;
}

}  // namespace observd::testing
