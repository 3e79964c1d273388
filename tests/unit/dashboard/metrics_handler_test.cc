// Tests of dashboard/metrics_handler.cc: /metrics without an Accept header is the text
// format 0.0.4 (the requests here carry no connection, so no header), varies by Accept,
// shares its bytes, and carries a gzip variant only when the client takes gzip.
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "dashboard/handlers.h"
#include "metrics/exposition_format.h"
#include "support/dashboard_handlers_fixture.h"

namespace observd {
namespace {

std::string Header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST_F(HandlersTest, WithoutAcceptMetricsAreTheTextFormat) {
  Response r = handlers_.Metrics(Get());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, ContentType(NegotiateExposition("")));
  EXPECT_EQ(r.content_type.rfind("text/plain; version=0.0.4", 0), 0u) << r.content_type;
  EXPECT_EQ(Header(r, "Vary"), "Accept");
  EXPECT_TRUE(r.compressible);
  ASSERT_TRUE(r.shared);
  EXPECT_EQ(r.bytes(), *r.shared);
  EXPECT_NE(r.bytes().find("# TYPE observd_build_info gauge"), std::string::npos);
  EXPECT_EQ(r.bytes().find("# EOF"), std::string::npos) << "OpenMetrics' end marker";
  EXPECT_FALSE(r.shared_gzip) << "the client did not ask for gzip";
}

TEST_F(HandlersTest, MetricsGzipInflatesToTheSameScrape) {
  Request req = Get();
  req.gzip = true;
  Response r = handlers_.Metrics(req);
  ASSERT_TRUE(r.shared);
  ASSERT_TRUE(r.shared_gzip);
  const std::string& gz = *r.shared_gzip;
  z_stream z{};
  ASSERT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(r.shared->size() + 1, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  EXPECT_EQ(out, *r.shared);
}

TEST_F(HandlersTest, EachScrapeIsANewSerialization) {
  // A lone scrape never gets an older one's text: what changed in between shows.
  const std::string first(handlers_.Metrics(Get()).bytes());
  EXPECT_NE(first.find("\nobservd_htmx_events_total 0\n"), std::string::npos);
  board_.CountHtmxEvent();
  const std::string second(handlers_.Metrics(Get()).bytes());
  EXPECT_NE(second.find("\nobservd_htmx_events_total 1\n"), std::string::npos);
}

}  // namespace
}  // namespace observd
