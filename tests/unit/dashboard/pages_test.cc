// Tests of dashboard/pages.h: every page has a source under frontend/pages/, a unique
// URL, and no two pages share a file.
#include "dashboard/pages.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

namespace observd {
namespace {

TEST(Pages, EveryPageHasASourceAndAUniqueUrl) {
  std::set<std::string_view> urls, files;
  ASSERT_FALSE(Pages().empty());
  for (const PageFile& p : Pages()) {
    EXPECT_TRUE(urls.insert(p.url).second) << p.url;
    EXPECT_TRUE(files.insert(p.file).second) << p.file;
    EXPECT_TRUE(p.url.starts_with("/")) << p.url;
    EXPECT_FALSE(p.url.starts_with("/static/")) << p.url << ": the assets' prefix";
    EXPECT_TRUE(std::filesystem::is_regular_file(std::string(OBSERVD_SOURCE_DIR) + "/frontend/" +
                                                 std::string(p.file)))
        << p.file;
  }
  EXPECT_TRUE(urls.count("/"));
}

}  // namespace
}  // namespace observd
