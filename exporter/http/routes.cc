#include "http/routes.h"

#include <civetweb.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <cstring>

#include "http/query.h"
#include "http/route_policy.h"
#include "http/sse.h"
#include "util/gzip.h"

namespace observd {
namespace {

constexpr int kDefaultLimit = 10;
constexpr int kMaxLimit = 100;

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

struct Routes::Request {
  mg_connection* conn;
  std::string path;
  const char* query;
  bool head;
  bool htmx;
  bool gzip;
};

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
                                                  int limit, const DashboardView& view) {
  return RenderBoth(name, site, limit, view).bytes;
}

Routes::CachedRender Routes::RenderBoth(const std::string& name, const Site& site, int limit,
                                        const DashboardView& view) {
  if (!site.templates) return {};
  // Keyed by snapshot version, Redis state and the second: every viewer of the same
  // second shares one rendering.
  std::string key = fmt::format("{}:{}:{}:{}", view.snapshot ? view.snapshot->version : 0, limit,
                                view.redis_up, static_cast<int64_t>(view.now));
  std::string slot_name = name + ":" + std::to_string(limit);
  {
    std::lock_guard<std::mutex> lk(render_mu_);
    auto it = renders_.find(slot_name);
    if (it != renders_.end() && it->second.key == key) return it->second;
  }
  std::string html;
  if (name == "stats") {
    html = site.templates->Render(name, StatsData(view));
  } else if (name == "recent_uploads") {
    html = site.templates->Render(name, UploadsData(view, limit));
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
  renders_[slot_name] = out;
  return out;
}

Response Routes::Partial(const std::string& name, const Site& site, int limit) {
  if (!site.templates) return TextResponse(503, "templates are not loaded; see the log");
  CachedRender rendered = RenderBoth(name, site, limit, View());
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
  const StaticFile* f = site.files ? site.files->Find(req.path) : nullptr;
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
      return Partial("stats", site, 0);
    case Handler::kUploadsHtml: {
      auto limit = ParseLimit(req.query, "limit", kDefaultLimit, kMaxLimit);
      if (!limit)
        return TextResponse(400, fmt::format("limit must be an integer from 1 to {}", kMaxLimit));
      return Partial("recent_uploads", site, *limit);
    }
    case Handler::kMetricsHtml:
      return Partial("metrics_text", site, 0);
    case Handler::kHistory:
      return JsonResponse(HistoryJson(View(), *deps_.history, 0, deps_.sampler_interval_seconds));
    case Handler::kHealthy:
      return TextResponse(200, "Healthy");
    case Handler::kReady:
      // Ready once bound and the first snapshot was attempted (success or not).
      return ready_ && deps_.cache->attempted() ? TextResponse(200, "Ready")
                                                : TextResponse(503, "Not ready");
    case Handler::kEvents:  // HEAD, or a bad uploads_limit
      if (!ParseLimit(req.query, "uploads_limit", kDefaultLimit, kMaxLimit)) {
        return TextResponse(
            400, fmt::format("uploads_limit must be an integer from 1 to {}", kMaxLimit));
      }
      return TextResponse(200, "");
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
    } else if (handler == Handler::kEvents && !req.head &&
               ParseLimit(req.query, "uploads_limit", kDefaultLimit, kMaxLimit)) {
      status = Events(conn, *s, *ParseLimit(req.query, "uploads_limit", kDefaultLimit, kMaxLimit));
      deps_.metrics->ObserveRequest(handler, status, Since(t0));
      deps_.history->CountRequest(deps_.now());
      return status;
    } else {
      r = Dispatch(handler, req, *s);
    }
    const RoutePolicy policy = PolicyFor(handler, s->auth && s->auth->enabled());
    ApplyCachePolicy(policy, &r);
    if (!policy.keep_alive) mg_disable_keep_alive(conn);
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

int Routes::Events(mg_connection* conn, const Site& site, int uploads_limit) {
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
  // Chunked, so the end of the stream is visible at once and the browser reconnects
  // instead of waiting on a silent keep-alive socket.
  mg_response_header_add(conn, "Transfer-Encoding", "chunked", -1);
  for (const auto& [k, v] : SecurityHeaders())
    mg_response_header_add(conn, k.c_str(), v.c_str(), -1);
  for (const auto& [k, v] : site.extra_headers)
    mg_response_header_add(conn, k.c_str(), v.c_str(), -1);
  if (mg_response_header_send(conn) != 0) return 200;

  SseWriter out(conn);
  if (!out.Retry(3000)) return 200;
  const auto deadline = std::chrono::steady_clock::now() + site.sse_max_duration;
  constexpr auto kHeartbeat = std::chrono::seconds(15);
  auto next_tick = std::chrono::steady_clock::now();
  while (true) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    if (now >= next_tick) {
      DashboardView view = View();
      deps_.metrics->dashboard_refresh().Increment();
      auto stats = Render("stats", site, 0, view);
      auto uploads = Render("recent_uploads", site, uploads_limit, view);
      auto metrics = Render("metrics_text", site, 0, view);
      std::string history = HistoryJson(view, *deps_.history, 10, deps_.sampler_interval_seconds);
      if (!out.Event("stats", *stats) || !out.Event("uploads", *uploads) ||
          !out.Event("metrics", *metrics) || !out.Event("history", history)) {
        break;  // client went away
      }
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
