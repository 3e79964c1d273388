// Services owns every long-lived part of a running observd and wires them together:
// the snapshot cache and its Redis provider, the application's series (AppSeries, with
// its own Redis connection), the latency sampler and history, the
// status board, the metrics, the route table and handlers, the web server. Lower
// layers report upward only through the hooks wired here. Start, Apply and Stop are
// called from the daemon's main thread; serving is multi-threaded.
#pragma once

#include <memory>
#include <string>

#include "daemon/runtime.h"
#include "dashboard/handlers.h"
#include "dashboard/site.h"
#include "http/route_table.h"
#include "http/router.h"
#include "http/web_server.h"
#include "metrics/metrics_registry.h"
#include "redis/endpoint.h"
#include "snapshot/annotations.h"
#include "snapshot/app_series.h"
#include "snapshot/history.h"
#include "snapshot/history_recorder.h"
#include "snapshot/latency_sampler.h"
#include "snapshot/snapshot_cache.h"
#include "status/status_board.h"

namespace observd {

class Services {
 public:
  // Builds everything for `runtime`; nothing runs until Start().
  Services(std::shared_ptr<const Runtime> runtime, const RedisSecrets& secrets);
  ~Services();
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  // Binds the listener, starts the background threads and waits (bounded) for the
  // first snapshot attempt. An error when an address cannot be bound.
  Result<> Start();
  // Serves `next` from now on (SIGHUP). Restart-only settings are already those of
  // the running Runtime (KeepRestartOnly).
  void Apply(std::shared_ptr<const Runtime> next);
  // Ends event streams, stops accepting, lets requests finish, joins the threads.
  void Stop();

  // Monotonic seconds of the sampler's last loop: the watchdog's liveness signal.
  double last_tick() const { return sampler_.last_tick(); }
  const Runtime& runtime() const { return *runtime_; }

 private:
  std::shared_ptr<const Runtime> runtime_;          // main thread only
  const std::shared_ptr<EndpointBoard> endpoints_;  // the Redis clients write, board_ reads
  History history_;
  Annotations annotations_;           // drawn on the site's time charts
  SharedSnapshotProvider* provider_;  // owned by cache_
  SnapshotCache cache_;
  StatusBoard board_;
  HistoryRecorder recorder_;  // history.path: the charts' history across restarts
  LatencySampler sampler_;
  AppSeries series_;  // counts on its own Redis connection, on the requests' threads
  SiteHolder site_;
  DashboardHandlers handlers_;
  const RouteTable table_;
  Metrics metrics_;
  Router router_;
  Router scrape_router_;  // web.metrics_listen_address: /metrics and health only
  std::unique_ptr<WebServer> server_;
  std::unique_ptr<WebServer> scrape_server_;  // null without web.metrics_listen_address
};

}  // namespace observd
