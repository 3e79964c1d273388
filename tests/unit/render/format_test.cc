// Tests of render/format.h: human units, times and HTML escaping, including the
// values the render fuzzer found.
#include "render/format.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>

namespace observd {
namespace {

TEST(Format, HumanUnits) {
  EXPECT_EQ(HumanSize(512), "512 B");
  EXPECT_EQ(HumanSize(1536), "1.5 KiB");
  EXPECT_EQ(HumanSize(int64_t{3} << 30), "3.0 GiB");
  EXPECT_EQ(HumanSize(std::nullopt), kUnknown);
  EXPECT_EQ(HumanSize(-5), kUnknown);
  EXPECT_EQ(HumanAge(100, 105), "just now");
  EXPECT_EQ(HumanAge(100, 400), "5 min ago");
  EXPECT_EQ(HumanAge(std::nullopt, 1), kUnknown);
  EXPECT_EQ(HumanAge(-1.5e301, 1764355200), kUnknown);  // fuzz_render: UB cast before
  EXPECT_EQ(HumanAge(1e300, 1764355200), kUnknown);
  EXPECT_EQ(IsoTimeUtc(1764355200), "2025-11-28T18:40:00Z");
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1234), "1,234");
  EXPECT_EQ(FormatCount(-1234567), "-1,234,567");
  EXPECT_EQ(FormatCount(INT64_MIN), "-9,223,372,036,854,775,808");
  EXPECT_EQ(FormatCount(std::nullopt), kUnknown);
  EXPECT_EQ(HumanDuration(42.9), "42 s");
  EXPECT_EQ(HumanDuration(360), "6 min");
  EXPECT_EQ(HumanDuration(4320), "1 h 12 min");
  EXPECT_EQ(HumanDuration(273600), "3 d 4 h");
  EXPECT_EQ(HumanDuration(-1), kUnknown);
  EXPECT_EQ(HumanDuration(std::nullopt), kUnknown);
  EXPECT_EQ(IsoTimeUtc(1e300), "");
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

}  // namespace
}  // namespace observd
