// DashboardHandlers' CSV exports: each chart's series over the window on screen
// (`from`/`to`, the live hour without them; the same data as /dashboard/api/history) and
// the uploads table (with the page's filter). Each download is named for its series, its
// bucket width and the window it covers (kCsvExports).
#include <fmt/format.h>

#include <string_view>

#include "dashboard/handlers.h"
#include "dashboard/site_query.h"
#include "http/query.h"
#include "render/csv.h"

namespace observd {
namespace {

using Points = std::vector<std::pair<double, std::optional<double>>>;

Points Buckets(const std::vector<MaybeInt>& counts, const AppSeriesView& v) {
  Points p;
  for (size_t i = 0; i < counts.size(); ++i) {
    p.emplace_back(
        static_cast<double>(v.first + v.step * static_cast<int64_t>(i)),
        counts[i] ? std::optional<double>(static_cast<double>(*counts[i])) : std::nullopt);
  }
  return p;
}

// Every CSV export and the name its download gets (render/csv.h CsvFileName adds the
// window): one row per export, so no two share a file name. A chart series' name adds
// its bucket width ("uploads-per-10-minutes").
struct CsvExport {
  std::string_view key;   // `series=` value of history.csv, or the export's own name
  std::string_view slug;  // file name part
  bool series;            // a chart series of history.csv
};
// clang-format off
constexpr CsvExport kCsvExports[] = {
  {"latency",       "redis-latency",  true},
  {"requests",      "http-requests",  true},
  {"uploads",       "uploads",        true},
  {"runs",          "workflow-runs",  true},
  {"uploads_table", "recent-uploads", false},
  {"annotations",   "events",         false},
};
// clang-format on

bool IsSeries(std::string_view key) {
  for (const CsvExport& e : kCsvExports) {
    if (e.series && e.key == key) return true;
  }
  return false;
}

std::string SeriesNames() {
  std::string out;
  for (const CsvExport& e : kCsvExports) {
    if (e.series) out += (out.empty() ? "" : ", ") + std::string(e.key);
  }
  return out;
}

std::string SlugOf(std::string_view key) {
  for (const CsvExport& e : kCsvExports) {
    if (e.key == key) return std::string(e.slug);
  }
  return std::string(key);
}

// A bucket width in words joined by `sep`: "second", "minute", "10<sep>minutes", "hour".
std::string PerStep(int64_t step, char sep) {
  if (step == 1) return "second";
  if (step == 60) return "minute";
  if (step == 3600) return "hour";
  if (step == 86400) return "day";
  if (step % 3600 == 0) return fmt::format("{}{}hours", step / 3600, sep);
  if (step % 60 == 0) return fmt::format("{}{}minutes", step / 60, sep);
  return fmt::format("{}{}seconds", step, sep);
}

Response CsvResponse(std::string body, const std::string& file_name) {
  Response r = TextResponse(200, std::move(body));
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition",
                         fmt::format("attachment; filename=\"{}\"", file_name));
  return r;
}

}  // namespace

Response DashboardHandlers::UploadsCsv(const Request& req) {
  auto q = ParseUploadsQuery(req.query, "limit");
  if (!q) return TextResponse(400, q.error());
  q->limit = UploadsQuery::kMaxLimit;
  Status status = deps_.board->Read();
  static const std::vector<Upload> kNone;
  const auto& all = status.snapshot ? status.snapshot->app.recent : kNone;
  // As of the snapshot it was read from; a filter is part of the name.
  std::string slug = SlugOf("uploads_table");
  if (q->status != "all") slug += "-" + q->status;
  if (!q->search.empty()) slug += "-matching";
  const double at = status.snapshot ? status.snapshot->app.computed_at : status.now;
  return CsvResponse(observd::UploadsCsv(ApplyUploadsQuery(all, *q).rows),
                     CsvFileName(slug, std::nullopt, at));
}

Response DashboardHandlers::HistoryCsv(const Request& req) {
  auto params = ParseQuery(req.query ? req.query : "");
  const std::string series = params ? FindParam(*params, "series").value_or("") : "";
  if (!IsSeries(series)) return TextResponse(400, "series must be one of " + SeriesNames());
  // The window on screen (from/to; the live hour without them), as the JSON answers it,
  // and not through the cache: the application series may wait on Redis.
  const Status status = deps_.board->ReadCurrent();
  auto window = ParseWindow(req.query, status.now);
  if (!window) return TextResponse(400, window.error());
  const TimeWindow& w = *window;
  std::vector<int64_t> starts;
  for (int64_t t = w.first; t <= w.last; t += w.step) starts.push_back(t);
  const double end = static_cast<double>(w.last + w.step);
  auto named = [&](std::string body, int64_t step, double from, double to) {
    return CsvResponse(std::move(body),
                       CsvFileName(SlugOf(series) + "-per-" + PerStep(step, '-'), from, to));
  };
  const std::string per_bucket = "_per_" + PerStep(w.step, '_');

  if (series == "uploads" || series == "runs") {
    auto app = AppSeriesOver(BucketRange{w.first, w.last, w.step});
    if (series == "uploads") {
      Points p = app ? Buckets(app->uploads, *app) : Points{};
      return named(SeriesCsv("uploads" + per_bucket, p), w.step, w.first, end);
    }
    std::vector<std::pair<std::string, Points>> by_status;
    if (app) {
      for (const auto& [name, counts] : app->runs)
        by_status.emplace_back(name, Buckets(counts, *app));
    }
    return named(LabelledSeriesCsv("status", "runs" + per_bucket, by_status), w.step, w.first, end);
  }

  // Observd's own series: the recorder's window (the store and memory).
  HistoryWindow h;
  if (deps_.recorder) {
    h = deps_.recorder->Read(w, status.now);
  } else {
    h.latency = deps_.history->LatencyBetween(w.from, w.to + 1);
  }
  if (series == "latency") {
    // 1 s samples where the window has them (spans up to an hour), else per bucket.
    if (w.to - w.from <= 3600) {
      Points p;
      for (const LatencySample& s : h.latency) p.emplace_back(s.t, s.ms);
      return named(SeriesCsv("latency_ms", p), 1, w.from, w.to);
    }
    return named(LatencyBucketsCsv(starts, h.buckets), w.step, w.first, end);
  }
  // Requests per bucket; a bucket observd did not observe is empty, not 0.
  Points p;
  auto row = h.buckets.begin();
  for (int64_t t : starts) {
    while (row != h.buckets.end() && row->t < t) ++row;
    const bool seen = row != h.buckets.end() && row->t == t;
    p.emplace_back(static_cast<double>(t),
                   seen ? std::optional<double>(static_cast<double>(row->requests)) : std::nullopt);
  }
  return named(SeriesCsv("requests" + per_bucket, p), w.step, w.first, end);
}

// The events drawn on the charts (restarts, reloads, Redis outages, the store's state)
// overlapping the window on screen: for an incident report.
Response DashboardHandlers::AnnotationsCsv(const Request& req) {
  const Status status = deps_.board->ReadCurrent();
  auto window = ParseWindow(req.query, status.now);
  if (!window) return TextResponse(400, window.error());
  std::vector<Annotation> notes;
  if (deps_.recorder) {
    notes = deps_.recorder->ReadAnnotations(*window);
  } else if (deps_.annotations) {
    for (Annotation& a : deps_.annotations->Since(window->from)) {
      if (a.t <= window->to) notes.push_back(std::move(a));
    }
  }
  return CsvResponse(observd::AnnotationsCsv(notes),
                     CsvFileName(SlugOf("annotations"), window->from, window->to));
}

}  // namespace observd
