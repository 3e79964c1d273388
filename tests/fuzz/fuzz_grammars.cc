// fuzz_grammars: the shared grammars of util/ (Redis address, listen address, duration)
// and the secret-file rule on arbitrary bytes (operator input: flags, config values,
// files). None may crash or hang; the error is set iff the text is refused; an
// accepted Redis address round-trips through its canonical form, never prints a
// user (no '@' outside a socket path) or a NUL byte, and an accepted listen address is IPv4
// host:port.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "util/duration.h"
#include "util/listen_address.h"
#include "util/redis_address.h"
#include "util/secret_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  if (auto a = observd::ParseRedisAddress(text); a.ok()) {
    const std::string canonical = a->ToString();
    auto back = observd::ParseRedisAddress(canonical);
    FUZZ_CHECK(back.ok());
    a->username.clear();  // ToString() never prints the user.
    FUZZ_CHECK(*back == *a);
    if (a->kind != observd::RedisAddress::Kind::kUnix) {
      FUZZ_CHECK(canonical.find('@') == std::string::npos);
    }
    FUZZ_CHECK(canonical.find('\0') == std::string::npos);
  } else {
    FUZZ_CHECK(!a.error().empty() && a.error().find('\n') == std::string::npos);
  }

  if (auto l = observd::ParseListenAddress(text); l.ok()) {
    FUZZ_CHECK(l->port >= 1 && l->port <= 65535);
    auto back = observd::ParseListenAddress(l->ToString());
    FUZZ_CHECK(back.ok() && back->ToString() == l->ToString());
  } else {
    FUZZ_CHECK(!l.error().empty());
  }

  if (auto d = observd::ParseDuration(text)) {
    FUZZ_CHECK(d->count() >= 0);
    FUZZ_CHECK(observd::ParseDuration(observd::FormatDuration(*d)) == d);
  }

  if (auto secret = observd::ParseSecretText(text); secret.ok()) {
    FUZZ_CHECK(!secret->empty() &&
               secret->find_first_of(std::string("\r\n\0", 3)) == std::string::npos);
  } else if (text.size() >= 6) {
    FUZZ_CHECK(secret.error().find(text) == std::string::npos);
  }
  return 0;
}
