// Routes' CSV exports: each chart's series and the uploads table (with the page's
// filter), built from the same in-memory state as the JSON and partials.
#include <fmt/format.h>

#include "http/query.h"
#include "http/routes.h"
#include "render/csv.h"
#include "render/format.h"

namespace observd {
namespace {

using Points = std::vector<std::pair<double, std::optional<double>>>;

Points Minutes(const std::vector<MaybeInt>& s, double start) {
  Points p;
  for (size_t i = 0; i < s.size(); ++i) {
    p.emplace_back(start + 60.0 * static_cast<double>(i),
                   s[i] ? std::optional<double>(static_cast<double>(*s[i])) : std::nullopt);
  }
  return p;
}

}  // namespace

Response Routes::Csv(Handler handler, const Request& req) {
  DashboardView view = View();
  std::string body, name;
  if (handler == Handler::kUploadsCsv) {
    std::string error;
    auto q = ParseUploadsQuery(req.query, "limit", &error);
    if (!q) return TextResponse(400, error);
    q->limit = UploadsQuery::kMaxLimit;
    static const std::vector<Upload> kNone;
    body =
        UploadsCsv(ApplyUploadsQuery(view.snapshot ? view.snapshot->app.recent : kNone, *q).rows);
    name = "uploads";
  } else {
    auto params = ParseQuery(req.query ? req.query : "");
    std::string series = params ? FindParam(*params, "series").value_or("") : "";
    const AppSnapshot* app = view.snapshot ? &view.snapshot->app : nullptr;
    if (series == "latency") {
      Points p;
      for (const auto& s : deps_.history->Latency()) p.emplace_back(s.t, s.ms);
      body = SeriesCsv("latency_ms", p);
    } else if (series == "requests") {
      Points p;
      for (const auto& [t, n] : deps_.history->RequestsPerMinute(view.now)) {
        p.emplace_back(t,
                       t + 60 <= view.start_time ? std::nullopt : std::optional<double>(double(n)));
      }
      body = SeriesCsv("requests_per_minute", p);
    } else if (series == "uploads") {
      body = SeriesCsv("uploads_per_minute",
                       app ? Minutes(app->uploads_per_minute, app->minutes_start) : Points{});
    } else if (series == "runs") {
      body = "time,status,runs_per_minute\r\n";
      if (app) {
        for (const auto& [status, s] : app->runs_per_minute) {
          for (const auto& [t, v] : Minutes(s, app->minutes_start)) {
            body += IsoTimeUtc(t) + "," + CsvField(status) + "," +
                    (v ? fmt::format("{}", *v) : std::string()) + "\r\n";
          }
        }
      }
    } else {
      return TextResponse(400, "series must be one of latency, requests, uploads, runs");
    }
    name = series;
  }
  Response r = TextResponse(200, body);
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition",
                         fmt::format("attachment; filename=\"observd-{}.csv\"", name));
  return r;
}

}  // namespace observd
