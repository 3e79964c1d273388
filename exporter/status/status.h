// Status is the one model of how observd is doing, built once per read and read by
// both consumers: the Prometheus collector (metrics/) and the site (render/). It is
// plain immutable data; the rules about it (hit ratio, age, staleness) live here
// once. Thread-compatible: build it, then share it read-only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/app_snapshot.h"
#include "model/history_rows.h"
#include "model/redis_endpoint.h"

namespace observd {

// hits / (hits + misses); nullopt before any read (unknown, not 0).
std::optional<double> HitRatio(uint64_t hits, uint64_t misses);

// True when there is no snapshot or it is older than `stale_after_seconds`.
bool IsStale(std::optional<double> age_seconds, double stale_after_seconds);

struct RedisStatus {
  // False only before observd's first PING has answered or failed: `up` is then
  // unknown, not "down" (/metrics has no observd_redis_up sample, the site no banner).
  bool sampled = true;
  bool up = false;                        // the last PING succeeded
  std::optional<double> latency_seconds;  // last PING round trip; nullopt while down
  uint64_t errors_total = 0;              // failed Redis operations since start
  // The server each connected client uses and its role ("sampler" is the one behind
  // `up`); a client without a connection has no entry (unknown, not "down").
  std::vector<RedisEndpoint> endpoints;

  // Known to be down: a PING failed. Before the first PING this is false.
  bool down() const { return sampled && !up; }
};

struct CacheStatus {
  uint64_t hits = 0;
  uint64_t misses = 0;
  double ttl_seconds = 30;
  std::optional<double> hit_ratio() const { return HitRatio(hits, misses); }
};

struct Status {
  double now = 0;         // unix seconds, the server's clock
  double start_time = 0;  // unix seconds observd started
  uint64_t requests_total = 0;
  uint64_t dashboard_refreshes = 0;
  uint64_t htmx_events = 0;
  RedisStatus redis;
  CacheStatus cache;
  std::shared_ptr<const VersionedSnapshot> snapshot;  // null: none obtained yet
  double stale_after_seconds = 60;
  std::shared_ptr<const std::vector<QueryConfig>> queries;  // never null
  StoreState history_store;  // whether the history store is kept (kMemory without one)
  std::string version;
  std::string revision;

  double uptime_seconds() const { return now - start_time; }
  // Seconds since the snapshot was computed (never negative); nullopt without one.
  std::optional<double> snapshot_age_seconds() const;
  bool stale() const { return IsStale(snapshot_age_seconds(), stale_after_seconds); }
  // The snapshot cache's hit rate as the site shows it: unknown (nullopt) while no
  // snapshot exists, because lookups that joined a refresh which produced nothing are
  // not hits of anything; then HitRatio(hits, misses). (/metrics keeps its gauge rule.)
  std::optional<double> cache_hit_ratio() const;
};

}  // namespace observd
