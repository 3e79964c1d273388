// The one duration grammar (util/duration.h): accepted and refused forms.
#include "util/duration.h"

#include <gtest/gtest.h>

namespace observd {
namespace {

TEST(DurationTest, ParsesPrometheusDurations) {
  const std::pair<const char*, int64_t> cases[] = {
      {"0", 0},          {"0s", 0},           {"250ms", 250},        {"30s", 30000},
      {"5m", 300000},    {"1h", 3600000},     {"1h30m", 5400000},    {"2d", 172800000},
      {"1w", 604800000}, {"1y", 31536000000}, {"1m30s500ms", 90500}, {"1d2h3m4s5ms", 93784005}};
  for (const auto& [text, ms] : cases) {
    std::optional<Millis> d = ParseDuration(text);
    ASSERT_TRUE(d.has_value()) << text;
    EXPECT_EQ(d->count(), ms) << text;
  }
}

TEST(DurationTest, RejectsGarbage) {
  // Bare numbers (other than 0), fractions, signs and spaces are refused everywhere,
  // observd-demo's --duration included.
  for (const char* text : {"",
                           "-1s",
                           "+1s",
                           "1",
                           "10",
                           "90",
                           "s",
                           "1x",
                           "1.5s",
                           "1.5h",
                           "1h 30m",
                           " 1s",
                           "1s ",
                           "30m1h",
                           "1s1s",
                           "1ms1s",
                           "1H",
                           "99999999999999999y",
                           "1000000000000s",
                           "1sm",
                           "7days"}) {
    EXPECT_FALSE(ParseDuration(text).has_value()) << text;
  }
}

TEST(DurationTest, FormatRoundTrips) {
  const std::pair<int64_t, const char*> cases[] = {
      {0, "0s"},           {250, "250ms"},    {1000, "1s"},
      {30000, "30s"},      {300000, "5m"},    {5400000, "1h30m"},
      {86400000, "1d"},    {604800000, "1w"}, {90500, "1m30s500ms"},
      {2592000000, "30d"},  // weeks and years only when whole
      {1209600000, "2w"}};
  for (const auto& [ms, text] : cases) {
    EXPECT_EQ(FormatDuration(Millis(ms)), text);
    EXPECT_EQ(ParseDuration(text), Millis(ms)) << text;
  }
  for (int64_t ms : {1LL, 999LL, 1001LL, 59999LL, 3600001LL, 123456789LL, 40000000000LL}) {
    EXPECT_EQ(ParseDuration(FormatDuration(Millis(ms))), Millis(ms)) << ms;
  }
}

}  // namespace
}  // namespace observd
