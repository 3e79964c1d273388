// Tests of daemon/logging.h: values escaped for logfmt/JSON strings come back
// unchanged through an independent JSON reader (nlohmann::json), and bad level or
// format names are refused.
#include "daemon/logging.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace observd {
namespace {

std::string RoundTrip(const std::string& value) {
  auto doc = nlohmann::json::parse("{\"msg\":\"" + EscapeLogValue(value) + "\"}");
  return doc.at("msg").get<std::string>();
}

TEST(EscapeLogValue, EveryAsciiByteRoundTripsThroughJson) {
  for (int c = 1; c < 0x80; ++c) {
    std::string s = "a";
    s += static_cast<char>(c);
    s += 'b';
    EXPECT_EQ(RoundTrip(s), s) << "byte " << c;
  }
  EXPECT_EQ(RoundTrip(std::string("nul\0byte", 8)), std::string("nul\0byte", 8));
}

TEST(EscapeLogValue, NoRawLineBreaksOrQuotes) {
  std::string out = EscapeLogValue("line1\nline2\r\n\"quoted\" \\ tab\t");
  EXPECT_EQ(out.find('\n'), std::string::npos);
  EXPECT_EQ(out.find('\r'), std::string::npos);
  EXPECT_EQ(out, "line1\\nline2\\r\\n\\\"quoted\\\" \\\\ tab\\t");
}

TEST(EscapeLogValue, Utf8PassesThrough) {
  const std::string s = "\xc3\xa9t\xc3\xa9 \xe2\x9c\x93";  // "été ✓"
  EXPECT_EQ(EscapeLogValue(s), s);
  EXPECT_EQ(RoundTrip(s), s);
}

TEST(ConfigureLogging, RefusesUnknownLevelsAndFormats) {
  EXPECT_FALSE(ConfigureLogging("loud", "logfmt"));
  EXPECT_FALSE(ConfigureLogging("info", "xml"));
  EXPECT_TRUE(ConfigureLogging("info", "json"));
  EXPECT_TRUE(ConfigureLogging("off", "logfmt"));
  EXPECT_TRUE(ConfigureLogging("debug", "logfmt"));
}

}  // namespace
}  // namespace observd
