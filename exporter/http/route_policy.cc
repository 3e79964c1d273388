#include "http/route_policy.h"

namespace observd {

RoutePolicy PolicyFor(Handler handler, bool auth_enabled) {
  switch (handler) {
    case Handler::kApiStats:
    case Handler::kStatsHtml:
    case Handler::kUploadsHtml:
    case Handler::kMetricsHtml:
    case Handler::kHistory:
      return {auth_enabled ? "private, no-store" : "public, max-age=1", false};
    default:
      return {};
  }
}

void ApplyCachePolicy(const RoutePolicy& policy, Response* r) {
  if (!policy.cache_control) return;
  const char* value = r->status == 200 ? policy.cache_control : "no-store";
  for (auto& [k, v] : r->headers) {
    if (k == "Cache-Control") {
      v = value;
      return;
    }
  }
  r->headers.emplace_back("Cache-Control", value);
}

}  // namespace observd
