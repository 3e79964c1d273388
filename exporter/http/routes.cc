#include "http/routes.h"

#include <civetweb.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <cstring>

#include "http/query.h"
#include "http/sse.h"
#include "util/gzip.h"

namespace observd {
namespace {

constexpr int kDefaultLimit = UploadsQuery::kDefaultLimit;
constexpr int kMaxLimit = UploadsQuery::kMaxLimit;
constexpr const char* kFaviconPath = "/static/favicon.svg";

Handler MatchRoute(std::string_view path) {
  static const std::map<std::string_view, Handler> kRoutes = {
      {"/metrics", Handler::kMetrics},
      {"/", Handler::kIndex},
      {"/dashboard/observability", Handler::kObservabilityPage},
      {"/dashboard/uploads", Handler::kUploadsPage},
      {"/dashboard/api/stats", Handler::kApiStats},
      {"/dashboard/api/stats-html", Handler::kStatsHtml},
      {"/dashboard/api/recent-uploads-html", Handler::kUploadsHtml},
      {"/dashboard/api/metrics-html", Handler::kMetricsHtml},
      {"/dashboard/api/history", Handler::kHistory},
      {"/dashboard/api/history.csv", Handler::kHistoryCsv},
      {"/dashboard/api/uploads.csv", Handler::kUploadsCsv},
      {"/favicon.ico", Handler::kStatic},
      {"/dashboard/api/events", Handler::kEvents},
      {"/-/healthy", Handler::kHealthy},
      {"/-/ready", Handler::kReady},
  };
  auto it = kRoutes.find(path);
  if (it != kRoutes.end()) return it->second;
  if (path.starts_with("/static/")) return Handler::kStatic;
  return Handler::kOther;
}

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

// The uploads table's parameters: `limit_name` (limit or uploads_limit), status, q, sort.
std::optional<UploadsQuery> ParseUploadsQuery(const char* query, const std::string& limit_name,
                                              std::string* error) {
  auto limit = ParseLimit(query, limit_name, kDefaultLimit, kMaxLimit);
  auto params = ParseQuery(query ? query : "");
  if (!limit || !params) {
    *error = fmt::format("{} must be an integer from 1 to {}", limit_name, kMaxLimit);
    return std::nullopt;
  }
  return UploadsQuery::From(FindParam(*params, "status"), FindParam(*params, "q"),
                            FindParam(*params, "sort"), *limit, error);
}

Routes::Routes(RouteDeps deps)
    : deps_(std::move(deps)),
      scrapes_([this](std::string* out) { deps_.metrics->Serialize(out); }) {}

void Routes::SetSite(std::shared_ptr<const Site> site) {
  {
    std::lock_guard<std::mutex> lk(site_mu_);
    site_ = std::move(site);
  }
  std::lock_guard<std::mutex> lk(render_mu_);
  renders_.clear();  // templates may have changed
}

std::shared_ptr<const Site> Routes::site() const {
  std::lock_guard<std::mutex> lk(site_mu_);
  return site_;
}

void Routes::BeginShutdown() {
  {
    std::lock_guard<std::mutex> lk(shutdown_mu_);
    shutting_down_ = true;
  }
  shutdown_cv_.notify_all();
}

DashboardView Routes::View() {
  DashboardView v;
  v.now = deps_.now();
  v.start_time = deps_.start_time;
  v.uptime_seconds = v.now - deps_.start_time;
  v.requests_total = deps_.metrics->requests_total();
  v.redis_up = deps_.sampler->up();
  if (auto last = deps_.history->LastLatency(); last && last->ms) {
    v.redis_latency_seconds = *last->ms / 1000.0;
  }
  v.redis_errors = deps_.metrics->redis_errors().Value();
  v.cache_hits = deps_.metrics->cache_hits().Value();
  v.cache_misses = deps_.metrics->cache_misses().Value();
  v.ttl_seconds = deps_.cache->ttl().count() / 1000.0;
  auto s = site();
  v.stale_after_seconds = s ? s->stale_after_seconds : 2 * v.ttl_seconds;
  v.snapshot = deps_.cache->Get();
  v.version = deps_.version;
  v.revision = deps_.revision;
  return v;
}

std::shared_ptr<const std::string> Routes::MetricsText(double now) {
  // The metrics panel changes at most once a second for every viewer.
  std::string key = std::to_string(static_cast<int64_t>(now));
  {
    std::lock_guard<std::mutex> lk(render_mu_);
    auto it = renders_.find("__metrics");
    if (it != renders_.end() && it->second.key == key) return it->second.bytes;
  }
  // Serialize outside the lock: other partials keep rendering meanwhile.
  std::string text;
  deps_.metrics->Serialize(&text);
  auto bytes = std::make_shared<const std::string>(std::move(text));
  std::lock_guard<std::mutex> lk(render_mu_);
  renders_["__metrics"] = {key, bytes, nullptr};
  return bytes;
}

std::shared_ptr<const std::string> Routes::Render(const std::string& name, const Site& site,
                                                  const UploadsQuery& uploads,
                                                  const DashboardView& view) {
  return RenderBoth(name, site, uploads, view).bytes;
}

Routes::CachedRender Routes::RenderBoth(const std::string& name, const Site& site,
                                        const UploadsQuery& q, const DashboardView& view) {
  if (!site.templates) return {};
  // Keyed by snapshot version, Redis state and the second: every viewer of the same
  // second shares one rendering. The uploads query names the slot (bounded: the few
  // views in use are cached, at most kMaxSlots).
  std::string key = fmt::format("{}:{}:{}", view.snapshot ? view.snapshot->version : 0,
                                view.redis_up, static_cast<int64_t>(view.now));
  std::string slot_name = name == "recent_uploads" ? fmt::format("{}:{}:{}:{}:{}", name, q.limit,
                                                                 q.status, q.sort, q.search)
                                                   : name;
  {
    std::lock_guard<std::mutex> lk(render_mu_);
    auto it = renders_.find(slot_name);
    if (it != renders_.end() && it->second.key == key) return it->second;
  }
  std::string html;
  if (name == "stats") {
    html = site.templates->Render(name, StatsData(view));
  } else if (name == "recent_uploads") {
    html = site.templates->Render(name, UploadsData(view, q));
  } else {
    html = site.templates->Render(name, MetricsTextData(view, *MetricsText(view.now)));
  }
  CachedRender out{key, std::make_shared<const std::string>(std::move(html)), nullptr};
  if (out.bytes->size() >= 1024) {
    // Compressed once per rendering, not once per viewer.
    std::string gz = GzipCompress(*out.bytes);
    if (!gz.empty()) out.gzip = std::make_shared<const std::string>(std::move(gz));
  }
  std::lock_guard<std::mutex> lk(render_mu_);
  constexpr size_t kMaxSlots = 64;  // searches are viewer-chosen: keep the cache bounded
  if (renders_.size() >= kMaxSlots && !renders_.count(slot_name)) renders_.clear();
  renders_[slot_name] = out;
  return out;
}

Response Routes::Partial(const std::string& name, const Site& site, const UploadsQuery& q) {
  if (!site.templates) return TextResponse(503, "templates are not loaded; see the log");
  CachedRender rendered = RenderBoth(name, site, q, View());
  Response r = HtmlResponse("");
  r.shared = std::move(rendered.bytes);
  r.shared_gzip = std::move(rendered.gzip);
  return r;
}

Response Routes::ServeMetrics(const Request& req) {
  Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  deps_.cache->Get();  // counts the hit or miss and refreshes an expired snapshot
  // Concurrent scrapes share one serialization (and its gzip) that began after they
  // arrived; a lone scrape always gets a fresh one.
  ScrapeCoalescer::Result text = scrapes_.Get(req.gzip);
  r.shared = std::move(text.text);
  r.shared_gzip = std::move(text.gzip);
  r.compressible = true;  // Vary: Accept-Encoding; the gzip above is used when accepted
  return r;
}

Response Routes::ServeStatic(const Request& req, const Site& site) {
  // Browsers ask for /favicon.ico on every page, /metrics included.
  const std::string& path = req.path == "/favicon.ico" ? kFaviconPath : req.path;
  const StaticFile* f = site.files ? site.files->Find(path) : nullptr;
  if (!f) return TextResponse(404, "not found");
  Response r;
  const char* inm = mg_get_header(req.conn, "If-None-Match");
  r.headers.emplace_back("ETag", f->etag);
  r.headers.emplace_back("Cache-Control", f->cache_control);
  r.content_type = f->content_type;
  if (EtagMatches(inm, f->etag)) {
    r.status = 304;
    if (f->gzipped) r.headers.emplace_back("Vary", "Accept-Encoding");
    return r;
  }
  r.shared = f->bytes;
  r.shared_gzip = f->gzipped;
  return r;
}

Response Routes::Dispatch(Handler handler, const Request& req, const Site& site) {
  switch (handler) {
    case Handler::kMetrics:
      return ServeMetrics(req);
    case Handler::kIndex:
    case Handler::kObservabilityPage:
    case Handler::kUploadsPage:
    case Handler::kStatic:
      return ServeStatic(req, site);
    case Handler::kApiStats:
      return JsonResponse(StatsJson(View()));
    case Handler::kStatsHtml:
      deps_.metrics->dashboard_refresh().Increment();
      return Partial("stats", site, {});
    case Handler::kUploadsHtml: {
      std::string error;
      auto q = ParseUploadsQuery(req.query, "limit", &error);
      if (!q) return TextResponse(400, error);
      return Partial("recent_uploads", site, *q);
    }
    case Handler::kMetricsHtml:
      return Partial("metrics_text", site, {});
    case Handler::kHistory: {
      auto params = ParseQuery(req.query ? req.query : "");
      auto since_text = params ? FindParam(*params, "since") : std::nullopt;
      std::optional<double> since;
      if (since_text) {
        char* end = nullptr;
        since = std::strtod(since_text->c_str(), &end);
        if (since_text->empty() || *end || !std::isfinite(*since))
          return TextResponse(400, "since must be unix seconds");
      }
      HistoryOptions o;
      o.since = since;
      o.annotations = deps_.annotations;
      return JsonResponse(HistoryJson(View(), *deps_.history, deps_.sampler_interval_seconds, o));
    }
    case Handler::kHistoryCsv:
    case Handler::kUploadsCsv:
      return Csv(handler, req);
    case Handler::kHealthy:
      return TextResponse(200, "Healthy");
    case Handler::kReady:
      // Ready once bound and the first snapshot was attempted (success or not).
      return ready_ && deps_.cache->attempted() ? TextResponse(200, "Ready")
                                                : TextResponse(503, "Not ready");
    case Handler::kEvents: {  // HEAD, or bad parameters
      std::string error;
      if (!ParseEventTopics(req.query, &error)) return TextResponse(400, error);
      return TextResponse(200, "");
    }
    case Handler::kOther:
    case Handler::kCount:
      break;
  }
  return TextResponse(404, "not found");
}

int Routes::Handle(mg_connection* conn) {
  auto t0 = std::chrono::steady_clock::now();
  Handler handler = Handler::kOther;
  int status = 500;
  try {
    const mg_request_info* info = mg_get_request_info(conn);
    // CivetWeb has already percent-decoded the path; it is only ever compared with
    // the fixed route table and the in-memory file map, never used as a file name.
    std::optional<std::string> path;
    if (info->local_uri_raw) path = info->local_uri_raw;
    Request req{conn,
                path.value_or(""),
                info->query_string,
                std::strcmp(info->request_method, "HEAD") == 0,
                false,
                AcceptsGzip(mg_get_header(conn, "Accept-Encoding"))};
    const char* hx = mg_get_header(conn, "HX-Request");
    req.htmx = hx && std::strcmp(hx, "true") == 0;
    if (req.htmx) deps_.metrics->htmx_events().Increment();
    handler = MatchRoute(req.path);
    auto s = site();
    const Headers& extra = s->extra_headers;
    const bool gzip = req.gzip;
    Response r;
    const bool get = req.head || std::strcmp(info->request_method, "GET") == 0;
    const char* length = mg_get_header(conn, "Content-Length");
    const bool body = (length && std::strcmp(length, "0") != 0) ||
                      mg_get_header(conn, "Transfer-Encoding") != nullptr;
    if (!path || (get && body)) {
      // A bad escape or NUL in the path, or a body on a GET: refuse and close, since
      // the body's framing cannot be trusted.
      r = TextResponse(400, "bad request");
      r.headers.emplace_back("Connection", "close");
      mg_disable_keep_alive(conn);
    } else if (s->auth && s->auth->enabled() && handler != Handler::kHealthy &&
               !s->auth->Check(mg_get_header(conn, "Authorization"))) {
      r = TextResponse(401, "Unauthorized");
      r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"observd\", charset=\"UTF-8\"");
    } else if (handler == Handler::kOther) {
      r = TextResponse(404, "not found");
    } else if (!get) {
      r = TextResponse(405, "method not allowed");
      r.headers.emplace_back("Allow", "GET, HEAD");
    } else if (std::string error;
               handler == Handler::kEvents && !req.head && ParseEventTopics(req.query, &error)) {
      status = Events(conn, *s, *ParseEventTopics(req.query, &error), req.gzip);
      deps_.metrics->ObserveRequest(handler, status, Since(t0));
      deps_.history->CountRequest(deps_.now());
      return status;
    } else {
      r = Dispatch(handler, req, *s);
    }
    status = r.status;
    WriteResponse(conn, r, extra, req.head, gzip);
  } catch (const std::exception& e) {
    spdlog::error("handler {} failed: {}", HandlerLabel(handler), e.what());
    status = 500;
    WriteResponse(conn, TextResponse(500, "internal error"), {}, false, false);
  } catch (...) {
    status = 500;
    WriteResponse(conn, TextResponse(500, "internal error"), {}, false, false);
  }
  deps_.metrics->ObserveRequest(handler, status, Since(t0));
  deps_.history->CountRequest(deps_.now());
  return status;
}

}  // namespace observd
