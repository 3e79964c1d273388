// A Status for the tests of render/partials.h: Redis up, a fresh snapshot whose three
// recent uploads carry `text` in every string field (hostile data) and no size or time.
// Header-only; thread-compatible.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/app_snapshot.h"
#include "status/status.h"

namespace observd::partials_test {

inline Status HostileView(const std::string& text) {
  Status v;
  v.now = 1764355200;
  v.start_time = v.now;
  v.redis.up = true;
  v.redis.latency_seconds = 0.0002;
  v.cache.hits = 3;
  v.cache.misses = 1;
  v.queries = std::make_shared<const std::vector<QueryConfig>>();
  auto snap = std::make_shared<VersionedSnapshot>();
  snap->app.computed_at = v.now - 5;
  snap->app.uploads_total = 2;
  for (int i = 0; i < 3; ++i) {
    Upload u;
    u.id = text;
    u.filename = text;
    u.user = text;
    u.content_type = text;
    u.status = text;
    u.size = std::nullopt;
    u.created_at = std::nullopt;
    snap->app.recent.push_back(u);
  }
  v.snapshot = snap;
  return v;
}

}  // namespace observd::partials_test
