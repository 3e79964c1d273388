// RoutePolicy: per route, what a shared cache (the nginx micro-cache) may do with a
// response and whether the connection stays open after it. One place for both facts,
// so the nginx site and the keep-alive policy follow the same route list. Pure
// functions; thread-safe.
#pragma once

#include "http/response.h"
#include "metrics/metrics_registry.h"

namespace observd {

struct RoutePolicy {
  // Cache-Control for a 200 of this route; nullptr leaves the handler's own header
  // (static files: ETag + long max-age; /metrics, SSE: none or no-store).
  const char* cache_control = nullptr;
  // False: the response carries "Connection: close". Every open connection holds a
  // CivetWeb worker; a dashboard poll comes back in 5-10 s, far beyond the keep-alive
  // timeout, so keeping it open only costs a worker.
  bool keep_alive = true;
};

// Partials and JSON polled by the dashboard (stats, stats-html, recent-uploads-html,
// metrics-html, history): "public, max-age=1" without basic auth, so that a shared
// 1 s cache may answer every viewer of the same second; "private, no-store" with
// basic auth, so that no cache ever hands an authenticated answer to someone else;
// and no keep-alive. Every other route keeps its headers and keep-alive.
RoutePolicy PolicyFor(Handler handler, bool auth_enabled);

// Sets r's Cache-Control to policy.cache_control for a 200, to "no-store" for any
// other status (401, 400, 503 are never stored by a cache); leaves r alone when the
// policy has no cache_control.
void ApplyCachePolicy(const RoutePolicy& policy, Response* r);

}  // namespace observd
