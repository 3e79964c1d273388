#include "http/dashboard_handlers.h"

#include <fmt/format.h>

#include "http/query.h"
#include "metrics/exposition_format.h"
#include "render/partials.h"

namespace observd {
namespace {

// Browsers ask for /favicon.ico on every page, /metrics included.
constexpr const char* kFaviconAsset = "/static/favicon.svg";

Response FromRender(const RenderCache::Entry& e) {
  Response r = HtmlResponse("");
  r.shared = e.bytes;
  r.shared_gzip = e.gzip;
  return r;
}

}  // namespace

DashboardHandlers::DashboardHandlers(Deps deps)
    : deps_(std::move(deps)),
      text_scrapes_(
          [this](std::string* out) { deps_.metrics->Serialize(deps_.board->Read(), out); }),
      openmetrics_scrapes_([this](std::string* out) {
        deps_.metrics->Serialize(deps_.board->Read(), out, ExpositionFormat::kOpenMetrics100);
      }) {}

Response DashboardHandlers::Metrics(const Request& req) {
  const char* accept = req.Header("Accept");
  const Exposition exposition = NegotiateExposition(accept ? accept : "");
  // Concurrent scrapes of one format share one serialization (and its gzip) that
  // began after they arrived; a lone scrape always gets a fresh one. Each
  // serialization is one snapshot read (a cache hit or miss).
  ScrapeCoalescer& scrapes =
      IsOpenMetrics(exposition.format) ? openmetrics_scrapes_ : text_scrapes_;
  ScrapeCoalescer::Result text = scrapes.Get(req.gzip);
  Response r;
  r.content_type = ContentType(exposition);
  r.headers.emplace_back("Vary", "Accept");
  r.shared = std::move(text.text);
  r.shared_gzip = std::move(text.gzip);
  r.compressible = true;  // Vary: Accept-Encoding
  return r;
}

Response DashboardHandlers::StaticFile(const Request& req) {
  auto site = deps_.site->Get();
  const observd::StaticFile* f =
      site->files->Find(req.path == "/favicon.ico" ? kFaviconAsset : req.path);
  if (!f) return TextResponse(404, "not found");
  Response r;
  r.headers.emplace_back("ETag", f->etag);
  r.headers.emplace_back("Cache-Control", f->cache_control);
  r.content_type = f->content_type;
  if (EtagMatches(req.Header("If-None-Match"), f->etag)) {
    r.status = 304;
    if (!f->gzipped.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
    return r;
  }
  r.fixed = f->bytes;
  r.fixed_gzip = f->gzipped;
  r.keep = std::move(site);  // the files live as long as the site that holds them
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

RenderCache::Entry DashboardHandlers::Render(const std::string& name, const Site& site,
                                             const UploadsQuery& q, const Status& status) {
  // Keyed by snapshot version, Redis state and the second; the uploads view names the
  // slot (viewer-chosen searches: the cache keeps a bounded number of slots).
  std::string key = fmt::format("{}:{}:{}", status.snapshot ? status.snapshot->version : 0,
                                status.redis.up, static_cast<int64_t>(status.now));
  std::string slot = name == "recent_uploads"
                         ? fmt::format("{}:{}:{}:{}:{}", name, q.limit, q.status, q.sort, q.search)
                         : name;
  return renders_.Get(slot, key, [&] {
    if (name == "stats") return site.templates->Render(name, StatsData(status, site.thresholds));
    if (name == "recent_uploads") return site.templates->Render(name, UploadsData(status, q));
    return site.templates->Render(name, MetricsTextData(status, *MetricsText(status)));
  });
}

Response DashboardHandlers::Partial(const std::string& name, const UploadsQuery& q) {
  auto site = deps_.site->Get();
  if (!site->templates) return TextResponse(503, "templates are not loaded; see the log");
  return FromRender(Render(name, *site, q, deps_.board->Read()));
}

Response DashboardHandlers::StatsJson(const Request&) {
  return JsonResponse(observd::StatsJson(deps_.board->Read()));
}

Response DashboardHandlers::StatsHtml(const Request&) {
  deps_.board->CountDashboardRefresh();
  return Partial("stats", {});
}

Response DashboardHandlers::UploadsHtml(const Request& req) {
  std::string error;
  auto q = ParseUploadsQuery(req.query, "limit", &error);
  if (!q) return TextResponse(400, error);
  return Partial("recent_uploads", *q);
}

Response DashboardHandlers::MetricsHtml(const Request&) { return Partial("metrics_text", {}); }

Response DashboardHandlers::HistoryJson(const Request& req) {
  HistoryOptions o;
  if (!ParseSince(req.query, &o.since)) return TextResponse(400, "since must be unix seconds");
  const Status status = deps_.board->Read();
  return JsonResponse(
      observd::HistoryJson(status, MakeHistoryView(*deps_.history, deps_.annotations, status.now),
                           deps_.sampler_interval_seconds, o));
}

Response DashboardHandlers::Healthy(const Request&) { return TextResponse(200, "Healthy"); }

Response DashboardHandlers::Ready(const Request&) {
  // Ready once bound and the first snapshot and PING were attempted (success or not).
  return ready_ && deps_.first_reads_attempted() ? TextResponse(200, "Ready")
                                                 : TextResponse(503, "Not ready");
}

}  // namespace observd
