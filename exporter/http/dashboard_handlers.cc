#include "http/dashboard_handlers.h"

#include <fmt/format.h>

#include "http/query.h"
#include "render/partials.h"

namespace observd {
namespace {

constexpr int kDefaultLimit = 10;
constexpr int kMaxLimit = 100;

Response BadLimit(const char* name) {
  return TextResponse(400, fmt::format("{} must be an integer from 1 to {}", name, kMaxLimit));
}

Response FromRender(const RenderCache::Entry& e) {
  Response r = HtmlResponse("");
  r.shared = e.bytes;
  r.shared_gzip = e.gzip;
  return r;
}

}  // namespace

DashboardHandlers::DashboardHandlers(Deps deps)
    : deps_(std::move(deps)),
      scrapes_([this](std::string* out) { deps_.metrics->Serialize(deps_.board->Read(), out); }) {}

Response DashboardHandlers::Metrics(const Request& req) {
  // Concurrent scrapes share one serialization (and its gzip) that began after they
  // arrived; a lone scrape always gets a fresh one. Each serialization is one
  // snapshot read (a cache hit or miss).
  ScrapeCoalescer::Result text = scrapes_.Get(req.gzip);
  Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.shared = std::move(text.text);
  r.shared_gzip = std::move(text.gzip);
  r.compressible = true;  // Vary: Accept-Encoding
  return r;
}

Response DashboardHandlers::StaticFile(const Request& req) {
  auto site = deps_.site->Get();
  const observd::StaticFile* f = site->files->Find(req.path);
  if (!f) return TextResponse(404, "not found");
  Response r;
  r.headers.emplace_back("ETag", f->etag);
  r.headers.emplace_back("Cache-Control", f->cache_control);
  r.content_type = f->content_type;
  if (EtagMatches(req.Header("If-None-Match"), f->etag)) {
    r.status = 304;
    if (f->gzipped) r.headers.emplace_back("Vary", "Accept-Encoding");
    return r;
  }
  r.shared = f->bytes;
  r.shared_gzip = f->gzipped;
  return r;
}

std::shared_ptr<const std::string> DashboardHandlers::MetricsText(const Status& status) {
  // The metrics panel changes at most once a second for every viewer.
  auto key = std::to_string(static_cast<int64_t>(status.now));
  return renders_
      .Get("__metrics", key,
           [&] {
             std::string text;
             deps_.metrics->Serialize(status, &text);
             return text;
           })
      .bytes;
}

RenderCache::Entry DashboardHandlers::Render(const std::string& name, const Site& site, int limit,
                                             const Status& status) {
  // Keyed by snapshot version, Redis state and the second.
  std::string key = fmt::format("{}:{}:{}", status.snapshot ? status.snapshot->version : 0,
                                status.redis.up, static_cast<int64_t>(status.now));
  return renders_.Get(name + ":" + std::to_string(limit), key, [&] {
    if (name == "stats") return site.templates->Render(name, StatsData(status));
    if (name == "recent_uploads") return site.templates->Render(name, UploadsData(status, limit));
    return site.templates->Render(name, MetricsTextData(status, *MetricsText(status)));
  });
}

Response DashboardHandlers::Partial(const std::string& name, int limit) {
  auto site = deps_.site->Get();
  if (!site->templates) return TextResponse(503, "templates are not loaded; see the log");
  return FromRender(Render(name, *site, limit, deps_.board->Read()));
}

Response DashboardHandlers::StatsJson(const Request&) {
  return JsonResponse(observd::StatsJson(deps_.board->Read()));
}

Response DashboardHandlers::StatsHtml(const Request&) {
  deps_.board->CountDashboardRefresh();
  return Partial("stats", 0);
}

Response DashboardHandlers::UploadsHtml(const Request& req) {
  auto limit = ParseLimit(req.query, "limit", kDefaultLimit, kMaxLimit);
  if (!limit) return BadLimit("limit");
  return Partial("recent_uploads", *limit);
}

Response DashboardHandlers::MetricsHtml(const Request&) { return Partial("metrics_text", 0); }

Response DashboardHandlers::HistoryJson(const Request&) {
  return JsonResponse(
      observd::HistoryJson(deps_.board->Read(), *deps_.history, 0, deps_.sampler_interval_seconds));
}

Response DashboardHandlers::Events(const Request& req) {
  auto limit = ParseLimit(req.query, "uploads_limit", kDefaultLimit, kMaxLimit);
  if (!limit) return BadLimit("uploads_limit");
  auto site = deps_.site->Get();
  if (!site->templates) return TextResponse(503, "templates are not loaded");
  if (req.head) return TextResponse(200, "");
  // The stream keeps the Site it started with: a reload reaches new streams.
  return streams_.Open(*site, [this, site, uploads_limit = *limit](SseWriter* out) {
    Status status = deps_.board->Read();
    deps_.board->CountDashboardRefresh();
    auto stats = Render("stats", *site, 0, status);
    auto uploads = Render("recent_uploads", *site, uploads_limit, status);
    auto metrics = Render("metrics_text", *site, 0, status);
    std::string history =
        observd::HistoryJson(status, *deps_.history, 10, deps_.sampler_interval_seconds);
    return out->Event("stats", *stats.bytes) && out->Event("uploads", *uploads.bytes) &&
           out->Event("metrics", *metrics.bytes) && out->Event("history", history);
  });
}

Response DashboardHandlers::Healthy(const Request&) { return TextResponse(200, "Healthy"); }

Response DashboardHandlers::Ready(const Request&) {
  // Ready once bound and the first snapshot was attempted (success or not).
  return ready_ && deps_.snapshot_attempted() ? TextResponse(200, "Ready")
                                              : TextResponse(503, "Not ready");
}

}  // namespace observd
