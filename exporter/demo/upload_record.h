// The upload record model of observd-demo: a portable seeded RNG and the pure function
// that makes one realistic upload (name, size, type, status). No I/O; Rng is not
// thread-safe, everything else is stateless.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace observd::demo {

// Deterministic randomness: std::mt19937_64 is fully specified by the standard, and the
// helpers below avoid the library-defined std::*_distribution, so a seed gives the same
// stream with any standard library.
class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  uint64_t Next() { return engine_(); }
  uint64_t Below(uint64_t n);  // uniform in [0, n); n > 0.
  double Unit();               // uniform in [0, 1).
  bool Chance(double p) { return Unit() < p; }
  double Normal();                  // standard normal (Box-Muller).
  double Exponential(double mean);  // mean > 0.
  std::string Hex(int digits);      // lowercase hex digits.

 private:
  std::mt19937_64 engine_;
};

struct UploadRecord {
  std::string id;  // "u-" + 16 hex digits.
  std::string filename;
  int64_t size = 0;  // bytes, in [kMinUploadSize, kMaxUploadSize].
  std::string content_type;
  std::string user;
  std::string status;  // "stored", "processing" or "failed".
  int64_t created_at = 0;
};

inline constexpr int64_t kMinUploadSize = 1024;
inline constexpr int64_t kMaxUploadSize = int64_t{2} << 30;

// The MIME type for a file name's extension (case-insensitive, ".csv.gz" and ".tar.gz"
// are gzip); "application/octet-stream" when unknown.
std::string ContentTypeFor(std::string_view filename);

// The pool of user names the generator draws from (50 names, stable order).
const std::vector<std::string>& UserPool();

// Draws a user from UserPool(), Zipf-like: the first users upload far more than the last.
const std::string& PickPoolUser(Rng& rng);

// Makes one realistic upload created at `created_at` by `user` with final status
// "stored" (~97 %) or "failed" (~3 %). Pure apart from drawing from `rng`.
UploadRecord MakeUpload(Rng& rng, int64_t created_at, const std::string& user);

}  // namespace observd::demo
