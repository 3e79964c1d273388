// BasicAuth checks `Authorization: Basic` credentials against bcrypt hashes from the
// web-config file (crypt_r from libcrypt). Verified pairs are cached (keyed by a
// SHA-256 of user:password) so scrapes do not pay bcrypt each time. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "util/result.h"

namespace observd {

// How a request's credentials fared. Every value but kOk is answered 401.
enum class AuthOutcome {
  kOk,
  kMissing,    // no Authorization header: a client's first request, not an attack
  kMalformed,  // not "Basic <base64 user:password>"
  kRejected,   // a user and password that do not match
};

// "missing", "malformed", "rejected" ("ok" for kOk): the metric label and log word.
const char* AuthOutcomeName(AuthOutcome outcome);

class BasicAuth {
 public:
  // `users` maps user name -> bcrypt hash ($2y$/$2b$/$2a$). Empty = auth disabled.
  explicit BasicAuth(std::map<std::string, std::string> users);
  BasicAuth(const BasicAuth&) = delete;
  BasicAuth& operator=(const BasicAuth&) = delete;

  bool enabled() const { return !users_.empty(); }

  // `header` is the full Authorization header value or nullptr. Unknown users cost
  // the same bcrypt work as known ones, so a wrong user and a wrong password are both
  // kRejected after the same time. kOk when authentication is disabled.
  AuthOutcome Verify(const char* header);
  bool Check(const char* header) { return Verify(header) == AuthOutcome::kOk; }
  // bcrypt computations run so far (a cached pair costs none).
  uint64_t bcrypt_runs() const { return bcrypt_runs_.load(std::memory_order_relaxed); }

 private:
  const std::map<std::string, std::string> users_;
  const std::string dummy_hash_;  // bcrypt setting checked for unknown users.
  std::mutex mu_;
  std::set<std::string> verified_;  // digests of user:password pairs that passed.
  std::atomic<uint64_t> bcrypt_runs_{0};
};

// Decodes base64 (standard alphabet, padding optional). Fails on bad input.
Result<std::string> DecodeBase64(const std::string& in);

}  // namespace observd
