// DashboardHandlers' event stream: per-page topics, a `tick` beat carrying the server's
// clock, the metrics panel at most every 10 s, the history as deltas (new latency
// samples; per-minute series once a minute completes), gzip when the client accepts it.
#include <fmt/format.h>

#include "http/dashboard_handlers.h"
#include "render/partials.h"

namespace observd {

struct DashboardHandlers::StreamMemory {
  double metrics_sent_at = -1e18;
  std::optional<double> latency_sent;  // newest latency sample already sent
  int64_t minute_sent = -1;            // minute whose per-minute series were sent
};

Response DashboardHandlers::Events(const Request& req) {
  std::string error;
  auto topics = ParseEventTopics(req.query, &error);
  if (!topics) return TextResponse(400, error);
  auto site = deps_.site->Get();
  if (!site->templates) return TextResponse(503, "templates are not loaded");
  if (req.head) return TextResponse(200, "");
  // The stream keeps the Site it started with: a reload reaches new streams.
  auto memory = std::make_shared<StreamMemory>();
  return streams_.Open(*site, req.gzip, [this, site, t = *topics, memory](SseWriter* out) {
    return Tick(out, *site, t, memory.get());
  });
}

bool DashboardHandlers::Tick(SseWriter* out, const Site& site, const EventTopics& topics,
                             StreamMemory* m) {
  constexpr double kMetricsEvery = 10;  // the panel says "refreshed every 10 s"
  Status status = deps_.board->Read();
  deps_.board->CountDashboardRefresh();
  if (!out->Event("tick", fmt::format("{{\"now\":{}}}", static_cast<int64_t>(status.now)))) {
    return false;
  }
  if (topics.stats && !out->Event("stats", *Render("stats", site, {}, status).bytes)) return false;
  if (topics.uploads &&
      !out->Event("uploads", *Render("recent_uploads", site, topics.uploads_query, status).bytes)) {
    return false;
  }
  if (topics.metrics && status.now - m->metrics_sent_at >= kMetricsEvery - 0.5) {
    if (!out->Event("metrics", *Render("metrics_text", site, {}, status).bytes)) return false;
    m->metrics_sent_at = status.now;
  }
  if (topics.history) {
    auto newest = deps_.history->LastLatency();
    const int64_t minute = static_cast<int64_t>(status.now) / 60;
    HistoryOptions o;
    o.since = m->latency_sent;
    o.minutes = minute != m->minute_sent;
    const HistoryView view =
        MakeHistoryView(*deps_.history, deps_.annotations, status.now, m->latency_sent ? 0 : 10);
    std::string json = observd::HistoryJson(status, view, deps_.sampler_interval_seconds, o);
    if (!out->Event("history", json)) return false;
    if (newest) m->latency_sent = newest->t;
    m->minute_sent = minute;
  }
  return true;
}

}  // namespace observd
