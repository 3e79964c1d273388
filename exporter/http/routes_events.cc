// Routes' Server-Sent Events stream: per-page topics, a `tick` beat with the server's
// clock, the metrics panel at most every 10 s, history as deltas, gzip when accepted.
#include <civetweb.h>
#include <fmt/format.h>

#include <chrono>

#include "http/query.h"
#include "http/routes.h"

namespace observd {

struct Routes::StreamMemory {
  double metrics_sent_at = -1e18;
  std::optional<double> latency_sent;  // newest latency sample already sent
  int64_t minute_sent = -1;            // minute whose per-minute series were sent
};

std::optional<EventTopics> ParseEventTopics(const char* query, std::string* error) {
  auto uploads = ParseUploadsQuery(query, "uploads_limit", error);
  auto params = ParseQuery(query ? query : "");
  if (!uploads || !params) return std::nullopt;
  EventTopics t;
  t.uploads_query = *uploads;
  auto topics = FindParam(*params, "topics");
  if (!topics) return t;
  t.stats = t.uploads = t.metrics = t.history = false;
  size_t pos = 0;
  while (pos <= topics->size()) {
    size_t end = topics->find(',', pos);
    if (end == std::string::npos) end = topics->size();
    std::string name = topics->substr(pos, end - pos);
    bool* flag = name == "stats"     ? &t.stats
                 : name == "uploads" ? &t.uploads
                 : name == "metrics" ? &t.metrics
                 : name == "history" ? &t.history
                                     : nullptr;
    if (!flag) {
      *error = "topics: each of stats, uploads, metrics, history";
      return std::nullopt;
    }
    *flag = true;
    pos = end + 1;
  }
  return t;
}

bool Routes::Tick(SseWriter* out, const Site& site, const EventTopics& topics, StreamMemory* m) {
  constexpr double kMetricsEvery = 10;
  DashboardView view = View();
  deps_.metrics->dashboard_refresh().Increment();
  if (!out->Event("tick", fmt::format("{{\"now\":{}}}", static_cast<int64_t>(view.now)))) {
    return false;
  }
  if (topics.stats && !out->Event("stats", *Render("stats", site, {}, view))) return false;
  if (topics.uploads &&
      !out->Event("uploads", *Render("recent_uploads", site, topics.uploads_query, view))) {
    return false;
  }
  if (topics.metrics && view.now - m->metrics_sent_at >= kMetricsEvery - 0.5) {
    if (!out->Event("metrics", *Render("metrics_text", site, {}, view))) return false;
    m->metrics_sent_at = view.now;
  }
  if (topics.history) {
    auto newest = deps_.history->LastLatency();
    const int64_t minute = static_cast<int64_t>(view.now) / 60;
    HistoryOptions o;
    o.latency_points = m->latency_sent ? 0 : 10;
    o.since = m->latency_sent;
    o.minutes = minute != m->minute_sent;
    o.annotations = deps_.annotations;
    if (!out->Event("history",
                    HistoryJson(view, *deps_.history, deps_.sampler_interval_seconds, o)))
      return false;
    if (newest) m->latency_sent = newest->t;
    m->minute_sent = minute;
  }
  return true;
}

int Routes::Events(mg_connection* conn, const Site& site, const EventTopics& topics, bool gzip) {
  if (!site.templates) {
    WriteResponse(conn, TextResponse(503, "templates are not loaded"), site.extra_headers, false,
                  false);
    return 503;
  }
  if (streams_.fetch_add(1) >= site.max_sse_streams) {
    streams_.fetch_sub(1);
    Response r = TextResponse(503, "too many event streams; poll instead");
    r.headers.emplace_back("Retry-After", "30");
    WriteResponse(conn, r, site.extra_headers, false, false);
    return 503;
  }
  struct Release {
    std::atomic<int>* n;
    ~Release() { n->fetch_sub(1); }
  } release{&streams_};

  mg_response_header_start(conn, 200);
  mg_response_header_add(conn, "Content-Type", "text/event-stream; charset=utf-8", -1);
  mg_response_header_add(conn, "Cache-Control", "no-store", -1);
  mg_response_header_add(conn, "X-Accel-Buffering", "no", -1);
  mg_response_header_add(conn, "Vary", "Accept-Encoding", -1);
  if (gzip) mg_response_header_add(conn, "Content-Encoding", "gzip", -1);
  // Chunked, so the end of the stream is visible at once and the browser reconnects
  // instead of waiting on a silent keep-alive socket.
  mg_response_header_add(conn, "Transfer-Encoding", "chunked", -1);
  for (const auto& [k, v] : SecurityHeaders())
    mg_response_header_add(conn, k.c_str(), v.c_str(), -1);
  for (const auto& [k, v] : site.extra_headers)
    mg_response_header_add(conn, k.c_str(), v.c_str(), -1);
  if (mg_response_header_send(conn) != 0) return 200;

  SseWriter out(conn, gzip);
  if (!out.Retry(3000)) return 200;
  StreamMemory memory;
  const auto deadline = std::chrono::steady_clock::now() + site.sse_max_duration;
  constexpr auto kHeartbeat = std::chrono::seconds(15);
  auto next_tick = std::chrono::steady_clock::now();
  while (true) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    if (now >= next_tick) {
      if (!Tick(&out, site, topics, &memory)) break;  // client went away
      next_tick = now + site.sse_interval;
    }
    auto wake = std::min({next_tick, deadline, std::chrono::steady_clock::now() + kHeartbeat});
    std::unique_lock<std::mutex> lk(shutdown_mu_);
    if (shutdown_cv_.wait_until(lk, wake, [&] { return shutting_down_; })) break;
    lk.unlock();
    auto after = std::chrono::steady_clock::now();
    if (after < next_tick && after < deadline && !out.Comment("heartbeat")) break;
  }
  out.End();
  return 200;
}

}  // namespace observd
