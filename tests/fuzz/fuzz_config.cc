// fuzz_config: ParseConfig and ParseWebAuthConfig on arbitrary bytes (YAML from an
// operator's file). Neither may crash, throw or hang; an accepted config must pass
// ValidateConfig and its durations must survive FormatDuration -> ParseDuration.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.h"
#include "config/web_config.h"
#include "fuzz_check.h"

namespace {

void CheckDuration(observd::Millis d) {
  FUZZ_CHECK(d.count() >= 0);
  auto back = observd::ParseDuration(observd::FormatDuration(d));
  FUZZ_CHECK(back.has_value() && *back == d);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  observd::Result<observd::Config> r = observd::ParseConfig(text, "fuzz.yml");
  FUZZ_CHECK(r.ok() || !r.error().empty());
  if (r.ok()) {
    const observd::Config& c = *r;
    FUZZ_CHECK(observd::ValidateConfig(c).ok());
    for (observd::Millis d :
         {c.web.sse_interval, c.web.sse_max_duration, c.web.request_timeout,
          c.redis.connect_timeout, c.redis.command_timeout, c.redis.backoff_max, c.cache.ttl,
          c.cache.stale_after, c.cache.max_wait, c.sampler.interval, c.sampler.history}) {
      CheckDuration(d);
    }
    for (const auto& q : c.queries) {
      FUZZ_CHECK(observd::IsValidMetricName(q.name));
      for (const auto& [name, value] : q.labels) FUZZ_CHECK(observd::IsValidLabelName(name));
      CheckDuration(q.window);
    }
    // Parsing is pure: the same text gives the same config.
    observd::Result<observd::Config> again = observd::ParseConfig(text, "fuzz.yml");
    FUZZ_CHECK(again.ok() && *again == c);
  }

  // A duration string on its own (flags and config values go through it).
  if (size <= 64) {
    if (auto d = observd::ParseDuration(text)) CheckDuration(*d);
  }

  observd::Result<observd::WebAuthConfig> w = observd::ParseWebAuthConfig(text, "web.yml");
  FUZZ_CHECK(w.ok() || !w.error().empty());
  if (w.ok()) {
    for (const auto& [name, value] : w->headers) {
      FUZZ_CHECK(name.find_first_of("\r\n") == std::string::npos);
      FUZZ_CHECK(value.find_first_of("\r\n") == std::string::npos);
    }
    for (const auto& [user, hash] : w->basic_auth_users) {
      FUZZ_CHECK(user.find(':') == std::string::npos);
    }
  }
  return 0;
}
