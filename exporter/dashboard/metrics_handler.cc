// DashboardHandlers' /metrics: the exposition format the scraper accepts, one
// serialization shared by concurrent scrapes; and the same text for the metrics panel.
#include "dashboard/handlers.h"
#include "metrics/exposition_format.h"

namespace observd {

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

}  // namespace observd
