// Basic auth: bcrypt via libcrypt's crypt_r, equal work for unknown users, a
// constant-time compare, and a bounded cache of verified pairs (bcrypt costs tens of
// milliseconds, far too much for every scrape).
#include "http/basic_auth.h"

#include <crypt.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

#include "util/field_list.h"
#include "util/sha256.h"

namespace observd {

namespace {

// Verified pairs kept at most; cleared when full. bcrypt reads only the first 72 bytes
// of a password, so a valid user could otherwise grow the cache without bound.
constexpr size_t kMaxCached = 1024;
constexpr size_t kMaxHeader = 4096;

// Compares without an early exit, so timing does not reveal the matching prefix.
bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  volatile unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff = diff | (a[i] ^ b[i]);
  return diff == 0;
}

// bcrypt of `password` with the salt and cost of `hash`; "" if libcrypt refuses.
std::string Bcrypt(const std::string& password, const std::string& hash) {
  auto data = std::make_unique<crypt_data>();  // ~32 KiB: too big for a worker stack.
  const char* out = crypt_r(password.c_str(), hash.c_str(), data.get());
  if (out == nullptr || out[0] == '*') return "";
  std::string result(out);
  explicit_bzero(data.get(), sizeof(crypt_data));
  return result;
}

int BcryptCost(const std::string& hash) {
  if (hash.size() < 7 || hash[3] != '$' || !isdigit(static_cast<unsigned char>(hash[4])) ||
      !isdigit(static_cast<unsigned char>(hash[5]))) {
    return 10;
  }
  return (hash[4] - '0') * 10 + (hash[5] - '0');
}

// A bcrypt setting (no stored hash can equal its output) with the highest cost among
// `users`, checked for unknown users so they take as long as known ones.
std::string DummyHash(const std::map<std::string, std::string>& users) {
  int cost = 4;
  for (const auto& [user, hash] : users) cost = std::max(cost, std::min(BcryptCost(hash), 31));
  return std::string("$2b$") + (cost < 10 ? "0" : "") + std::to_string(cost) +
         "$N9qo8uLOickgx2ZMRZoMye";
}

}  // namespace

BasicAuth::BasicAuth(std::map<std::string, std::string> users)
    : users_(std::move(users)), dummy_hash_(DummyHash(users_)) {}

const char* AuthOutcomeName(AuthOutcome outcome) {
  switch (outcome) {
    case AuthOutcome::kOk:
      return "ok";
    case AuthOutcome::kMissing:
      return "missing";
    case AuthOutcome::kMalformed:
      return "malformed";
    case AuthOutcome::kRejected:
      return "rejected";
  }
  return "rejected";
}

AuthOutcome BasicAuth::Verify(const char* header) {
  if (!enabled()) return AuthOutcome::kOk;
  if (header == nullptr) return AuthOutcome::kMissing;
  std::string value(header, strnlen(header, kMaxHeader + 1));
  if (value.size() > kMaxHeader || value.size() < 6 ||
      !EqualsIgnoreCase(std::string_view(value).substr(0, 6), "Basic ")) {
    return AuthOutcome::kMalformed;
  }
  size_t start = value.find_first_not_of(' ', 6);
  if (start == std::string::npos) return AuthOutcome::kMalformed;
  size_t end = value.find_last_not_of(' ');
  auto base64 = DecodeBase64(value.substr(start, end + 1 - start));
  if (!base64) return AuthOutcome::kMalformed;
  std::string& decoded = *base64;
  const size_t colon = decoded.find(':');
  if (colon == std::string::npos) return AuthOutcome::kMalformed;
  const std::string user = decoded.substr(0, colon);
  const std::string password = decoded.substr(colon + 1);
  const std::string digest = Sha256(user + ":" + password);
  explicit_bzero(decoded.data(), decoded.size());
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (verified_.count(digest)) return AuthOutcome::kOk;
  }
  auto it = users_.find(user);
  const std::string& hash = it == users_.end() ? dummy_hash_ : it->second;
  bcrypt_runs_.fetch_add(1, std::memory_order_relaxed);
  const std::string computed = Bcrypt(password, hash);
  const bool ok = it != users_.end() && !computed.empty() && ConstantTimeEquals(computed, hash);
  if (ok) {
    std::lock_guard<std::mutex> lock(mu_);
    if (verified_.size() >= kMaxCached) verified_.clear();
    verified_.insert(digest);
  }
  return ok ? AuthOutcome::kOk : AuthOutcome::kRejected;
}

Result<std::string> DecodeBase64(const std::string& in) {
  size_t len = in.size();
  if (len >= 1 && in[len - 1] == '=') --len;
  if (len >= 1 && in[len - 1] == '=') --len;
  // With padding, the padded length must be a multiple of 4.
  if (len != in.size() && in.size() % 4 != 0) return Fail("not base64");
  if (len % 4 == 1) return Fail("not base64");
  std::string result;
  result.reserve(len * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < len; ++i) {
    const char c = in[i];
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+') {
      v = 62;
    } else if (c == '/') {
      v = 63;
    } else {
      return Fail("not base64");
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      result += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return result;
}

}  // namespace observd
