// Tests of daemon/site_loader.h with the site this build embeds: served from the
// binary's own data (no copy), with build-time gzip variants and ETags that are what
// the daemon would compute itself.
#include "daemon/site_loader.h"

#include <gtest/gtest.h>

#include "dashboard/pages.h"
#include "embedded/embedded_site.h"
#include "util/gzip.h"
#include "util/hash.h"

namespace observd {
namespace {

// The URL a site file is served at.
std::string UrlOf(std::string_view rel) {
  for (const PageFile& page : Pages()) {
    if (page.file == rel) return std::string(page.url);
  }
  if (!rel.starts_with("static/")) return "";
  std::string url = "/";  // appended: GCC 12 warns falsely on "/" + std::string(rel)
  url += rel;
  return url;
}

TEST(SiteLoader, EmbeddedFilesAreServedInPlaceWithBuildTimeGzipAndEtag) {
  if (EmbeddedSiteFiles().empty()) GTEST_SKIP() << "built without the front end";
  SiteContent site = LoadSiteContent("", "");
  ASSERT_EQ(site.files_source, "embedded");
  int checked = 0, gzipped = 0;
  for (const auto& e : EmbeddedSiteFiles()) {
    std::string url = UrlOf(e.path);
    if (url.empty()) continue;
    const StaticFile* f = site.files->Find(url);
    ASSERT_TRUE(f) << url;
    EXPECT_EQ(f->bytes.data(), e.bytes.data()) << url << ": served from a copy";
    std::string etag = "\"";  // piecewise: GCC 12 warns falsely on "\"" + s + "\""
    etag += Fnv1a64Hex(e.bytes);
    etag += '"';
    EXPECT_EQ(f->etag, etag) << url;
    if (!f->gzipped.empty()) {
      ++gzipped;
      EXPECT_EQ(f->gzipped.data(), e.gzipped.data()) << url;
      EXPECT_EQ(f->gzipped, GzipCompress(e.bytes, 9)) << url << ": stale or foreign gzip";
      EXPECT_LT(f->gzipped.size(), f->bytes.size()) << url;
    }
    ++checked;
  }
  EXPECT_GE(checked, 5);
  const StaticFile* chart = site.files->Find("/static/vendor/chart.umd.min.js");
  ASSERT_TRUE(chart);
  EXPECT_FALSE(chart->gzipped.empty()) << "a 200 KB script is sent compressed";
  EXPECT_GE(gzipped, 3);
}

TEST(SiteLoader, ABrokenOverrideFallsBackToTheEmbeddedCopy) {
  if (EmbeddedSiteFiles().empty()) GTEST_SKIP() << "built without the front end";
  SiteContent site = LoadSiteContent("/nonexistent/observd-www", "");
  EXPECT_EQ(site.files_source, "embedded");
  EXPECT_TRUE(site.files->Find("/"));
}

}  // namespace
}  // namespace observd
