#include "snapshot/replies.h"

#include <charconv>
#include <cmath>

#include "snapshot/app_snapshot.h"

namespace observd {

Result<> NoRefusal(std::span<const ReplyPtr> replies) {
  for (const auto& r : replies) {
    if (IsRefusal(r.get())) return Fail("redis refused: " + SanitizeText({r->str, r->len}, 120));
  }
  return Ok();
}

std::optional<int64_t> CountReply(const ReplyPtr& r) {
  if (r && r->type == REDIS_REPLY_INTEGER && r->integer >= 0) return r->integer;
  return std::nullopt;
}

std::optional<double> ParseDouble(std::string_view s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace observd
