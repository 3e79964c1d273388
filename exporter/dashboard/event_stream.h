// EventStreams runs the Server-Sent Events streams of the site: it caps how many are
// open at once (each holds a CivetWeb worker), sends one update per interval and a
// heartbeat in between, ends each stream after its maximum duration, and ends all of
// them promptly on shutdown. Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>

#include "dashboard/site.h"
#include "http/response.h"
#include "http/sse.h"

namespace observd {

class EventStreams {
 public:
  // Writes one update; returns false once the client has gone away.
  using Tick = std::function<bool(SseWriter*)>;

  EventStreams() = default;
  EventStreams(const EventStreams&) = delete;
  EventStreams& operator=(const EventStreams&) = delete;

  // A streamed response that calls `tick` every site.sse_interval, or a 503 with
  // Retry-After when site.max_sse_streams are already open. The slot is held from
  // this call until the response is destroyed. `gzip`: the client accepts it; the
  // stream is then one gzip member flushed after every write.
  Response Open(const Site& site, bool gzip, Tick tick);

  // Ends every open stream at its next wait (SIGTERM).
  void BeginShutdown();

 private:
  void Run(mg_connection* conn, bool gzip, Millis interval, Millis max_duration, const Tick& tick);

  std::atomic<int> open_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool shutting_down_ = false;  // guarded by mu_
};

}  // namespace observd
