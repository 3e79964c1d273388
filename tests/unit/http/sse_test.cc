// Tests of http/sse.h: FormatSseEvent frames any payload as exactly one event.
#include "http/sse.h"

#include <gtest/gtest.h>

#include <string>

namespace observd {
namespace {

TEST(Sse, MultiLineDataIsFramed) {
  EXPECT_EQ(FormatSseEvent("stats", "<div>\n<b>1</b>\r\n</div>"),
            "event: stats\ndata: <div>\ndata: <b>1</b>\ndata: </div>\n\n");
  EXPECT_EQ(FormatSseEvent("x", ""), "event: x\ndata: \n\n");
  // A payload cannot inject a new event: every line is prefixed.
  std::string e = FormatSseEvent("a", "\n\nevent: evil\ndata: x");
  EXPECT_EQ(e.find("\nevent: evil"), std::string::npos);
}

} // namespace
} // namespace observd
