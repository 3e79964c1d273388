#include "dashboard/event_stream.h"

#include <chrono>
#include <memory>

namespace observd {
namespace {

constexpr auto kHeartbeat = std::chrono::seconds(15);
constexpr int kRetryMillis = 3000;  // the browser's reconnect delay after a stream ends

}  // namespace

Response EventStreams::Open(const Site& site, bool gzip, Tick tick) {
  if (open_.fetch_add(1) >= site.max_sse_streams) {
    open_.fetch_sub(1);
    Response r = TextResponse(503, "too many event streams; poll instead");
    r.headers.emplace_back("Retry-After", "30");
    return r;
  }
  // Released when the last copy of the response (and its stream) is gone.
  std::shared_ptr<void> slot(nullptr, [this](void*) { open_.fetch_sub(1); });
  Response r;
  r.content_type = "text/event-stream; charset=utf-8";
  r.headers = {
      {"Cache-Control", "no-store"}, {"X-Accel-Buffering", "no"}, {"Vary", "Accept-Encoding"}};
  if (gzip) r.headers.emplace_back("Content-Encoding", "gzip");
  r.stream = [this, slot, gzip, interval = site.sse_interval, max = site.sse_max_duration,
              tick = std::move(tick)](mg_connection* conn) {
    Run(conn, gzip, interval, max, tick);
  };
  return r;
}

void EventStreams::BeginShutdown() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    shutting_down_ = true;
  }
  cv_.notify_all();
}

void EventStreams::Run(mg_connection* conn, bool gzip, Millis interval, Millis max_duration,
                       const Tick& tick) {
  SseWriter out(conn, gzip);
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + max_duration;
  auto next_tick = Clock::now();
  bool alive = out.Retry(kRetryMillis);
  while (alive) {
    auto now = Clock::now();
    if (now >= deadline) break;
    if (now >= next_tick) {
      if (!tick(&out)) break;  // client went away
      next_tick = now + interval;
    }
    auto wake = std::min({next_tick, deadline, Clock::now() + kHeartbeat});
    {
      std::unique_lock<std::mutex> lk(mu_);
      if (cv_.wait_until(lk, wake, [&] { return shutting_down_; })) break;
    }
    auto after = Clock::now();
    if (after < next_tick && after < deadline) alive = out.Comment("heartbeat");
  }
  out.End();
}

}  // namespace observd
