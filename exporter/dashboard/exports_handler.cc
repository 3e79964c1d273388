// DashboardHandlers' CSV exports: each chart's series and the uploads table (with the
// page's filter), from the same in-memory state as the JSON and the partials. Each
// download is named for its series and the window it covers (kCsvExports).
#include <fmt/format.h>

#include <string_view>

#include "dashboard/handlers.h"
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
// window): one row per export, so no two share a file name.
struct CsvExport {
  std::string_view key;   // `series=` value; "uploads_table" for uploads.csv
  std::string_view slug;  // file name part
};
// clang-format off
constexpr CsvExport kCsvExports[] = {
  {"latency",       "redis-latency-per-second"},
  {"requests",      "http-requests-per-minute"},
  {"uploads",       "uploads-per-minute"},
  {"runs",          "workflow-runs-per-minute"},
  {"uploads_table", "recent-uploads"},
};
// clang-format on

std::string SlugOf(std::string_view key) {
  for (const CsvExport& e : kCsvExports) {
    if (e.key == key) return std::string(e.slug);
  }
  return std::string(key);
}

// The window the rows cover: the first point to the end of the last one (a minute
// bucket ends 60 s after its start); no rows: as of `now`.
std::pair<std::optional<double>, double> WindowOf(const Points& p, double step, double now) {
  if (p.empty()) return {std::nullopt, now};
  return {p.front().first, p.back().first + step};
}

Response CsvResponse(std::string body, const std::string& file_name) {
  Response r = TextResponse(200, std::move(body));
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition",
                         fmt::format("attachment; filename=\"{}\"", file_name));
  return r;
}

Response SeriesResponse(std::string body, std::string_view key, const Points& p, double step,
                        double now) {
  auto [from, to] = WindowOf(p, step, now);
  return CsvResponse(std::move(body), CsvFileName(SlugOf(key), from, to));
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
  std::string series = params ? FindParam(*params, "series").value_or("") : "";
  Status status = deps_.board->Read();
  Points p;
  if (series == "latency") {
    for (const auto& s : deps_.history->Latency()) p.emplace_back(s.t, s.ms);
    return SeriesResponse(SeriesCsv("latency_ms", p), series, p, 1, status.now);
  }
  if (series == "requests") {
    for (const auto& [t, n] : deps_.history->RequestsPerMinute(status.now)) {
      // Minutes before observd started were not observed: empty, not 0.
      p.emplace_back(t, t + 60 <= status.start_time
                            ? std::nullopt
                            : std::optional<double>(static_cast<double>(n)));
    }
    return SeriesResponse(SeriesCsv("requests_per_minute", p), series, p, 60, status.now);
  }
  // The application's series: the live window's minutes (AppSeries).
  if (series == "uploads") {
    if (auto app = AppSeriesOver(LiveMinutes(status.now))) p = Buckets(app->uploads, *app);
    return SeriesResponse(SeriesCsv("uploads_per_minute", p), series, p, 60, status.now);
  }
  if (series == "runs") {
    std::vector<std::pair<std::string, Points>> by_status;
    if (auto app = AppSeriesOver(LiveMinutes(status.now))) {
      for (const auto& [name, counts] : app->runs) {
        by_status.emplace_back(name, Buckets(counts, *app));
      }
    }
    return SeriesResponse(LabelledSeriesCsv("status", "runs_per_minute", by_status), series,
                          by_status.empty() ? Points{} : by_status.front().second, 60, status.now);
  }
  return TextResponse(400, "series must be one of latency, requests, uploads, runs");
}

}  // namespace observd
