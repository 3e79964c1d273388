#include "http/route_policy.h"

namespace observd {

void ApplyPollPolicy(bool auth_required, Response* r) {
  r->close = true;
  const char* value =
      r->status != 200 ? "no-store" : (auth_required ? "private, no-store" : "public, max-age=1");
  for (auto& [k, v] : r->headers) {
    if (k == "Cache-Control") {
      v = value;
      return;
    }
  }
  r->headers.emplace_back("Cache-Control", value);
}

}  // namespace observd
