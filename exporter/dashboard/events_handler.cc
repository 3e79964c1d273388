// DashboardHandlers' event stream: per-page topics, a `tick` beat carrying the server's
// clock, each panel of the panel table whose topic was asked for (at most every
// Panel::stream_every seconds), the history as deltas (new latency samples; per-minute
// series once a minute completes), gzip when the client accepts it.
#include <fmt/format.h>

#include <map>

#include "dashboard/handlers.h"
#include "render/partials.h"

namespace observd {

struct DashboardHandlers::StreamMemory {
  std::map<std::string_view, double> sent_at;  // panel name -> when last sent
  std::optional<double> latency_sent;          // newest latency sample already sent
  int64_t minute_sent = -1;                    // minute whose per-minute series were sent
};

Response DashboardHandlers::Events(const Request& req) {
  auto topics = ParseEventTopics(req.query);
  if (!topics) return TextResponse(400, topics.error());
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
  Status status = deps_.board->Read();
  deps_.board->CountDashboardRefresh();
  if (!out->Event("tick", fmt::format("{{\"now\":{}}}", static_cast<int64_t>(status.now)))) {
    return false;
  }
  for (const Panel& panel : Panels()) {
    if (panel.topic.empty() || !topics.has(panel.topic)) continue;
    if (panel.stream_every > 0) {
      auto last = m->sent_at.find(panel.name);
      if (last != m->sent_at.end() && status.now - last->second < panel.stream_every - 0.5) {
        continue;
      }
    }
    const UploadsQuery q = panel.uploads_view ? topics.uploads_query : UploadsQuery{};
    if (!out->Event(panel.topic, *Render(panel, site, q, status).bytes)) return false;
    m->sent_at[panel.name] = status.now;
  }
  if (topics.has(kHistoryTopic)) {
    auto newest = deps_.history->LastLatency();
    const int64_t minute = static_cast<int64_t>(status.now) / 60;
    HistoryOptions o;
    o.since = m->latency_sent;
    o.minutes = minute != m->minute_sent;
    HistoryView view =
        MakeHistoryView(*deps_.history, deps_.annotations, status.now, m->latency_sent ? 0 : 10);
    if (o.minutes) view.app_series = AppSeriesOver(LiveMinutes(status.now));
    std::string json = observd::HistoryJson(status, view, deps_.sampler_interval_seconds, o);
    if (!out->Event(kHistoryTopic, json)) return false;
    if (newest) m->latency_sent = newest->t;
    m->minute_sent = minute;
  }
  return true;
}

}  // namespace observd
