// DashboardHandlers' CSV exports: each chart's series and the uploads table (with the
// page's filter), from the same in-memory state as the JSON and the partials.
#include <fmt/format.h>

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

Response CsvResponse(std::string body, const std::string& name) {
  Response r = TextResponse(200, std::move(body));
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition",
                         fmt::format("attachment; filename=\"observd-{}.csv\"", name));
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
  return CsvResponse(observd::UploadsCsv(ApplyUploadsQuery(all, *q).rows), "uploads");
}

Response DashboardHandlers::HistoryCsv(const Request& req) {
  auto params = ParseQuery(req.query ? req.query : "");
  std::string series = params ? FindParam(*params, "series").value_or("") : "";
  Status status = deps_.board->Read();
  Points p;
  if (series == "latency") {
    for (const auto& s : deps_.history->Latency()) p.emplace_back(s.t, s.ms);
    return CsvResponse(SeriesCsv("latency_ms", p), series);
  }
  if (series == "requests") {
    for (const auto& [t, n] : deps_.history->RequestsPerMinute(status.now)) {
      // Minutes before observd started were not observed: empty, not 0.
      p.emplace_back(t, t + 60 <= status.start_time
                            ? std::nullopt
                            : std::optional<double>(static_cast<double>(n)));
    }
    return CsvResponse(SeriesCsv("requests_per_minute", p), series);
  }
  // The application's series: the live window's minutes (AppSeries).
  if (series == "uploads") {
    if (auto app = AppSeriesOver(LiveMinutes(status.now))) p = Buckets(app->uploads, *app);
    return CsvResponse(SeriesCsv("uploads_per_minute", p), series);
  }
  if (series == "runs") {
    std::vector<std::pair<std::string, Points>> by_status;
    if (auto app = AppSeriesOver(LiveMinutes(status.now))) {
      for (const auto& [name, counts] : app->runs) {
        by_status.emplace_back(name, Buckets(counts, *app));
      }
    }
    return CsvResponse(LabelledSeriesCsv("status", "runs_per_minute", by_status), series);
  }
  return TextResponse(400, "series must be one of latency, requests, uploads, runs");
}

}  // namespace observd
