// Tests of http/sse.h: FormatSseEvent frames any payload as exactly one event,
// checked with a reader written from the HTML Living Standard's event-stream
// interpretation rules (lines end in CRLF, LF or CR; data lines join with LF).
#include "http/sse.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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

struct Event {
  std::string name;
  std::string data;
  bool operator==(const Event&) const = default;
};

// Dispatches events the way a browser's EventSource does (fields event/data only).
std::vector<Event> Interpret(const std::string& stream) {
  std::vector<Event> out;
  std::string name, data;
  bool has_data = false;
  size_t pos = 0;
  while (pos < stream.size()) {
    size_t eol = stream.find_first_of("\r\n", pos);
    if (eol == std::string::npos) break;  // an unterminated line is not processed
    std::string line = stream.substr(pos, eol - pos);
    pos =
        eol + ((stream[eol] == '\r' && eol + 1 < stream.size() && stream[eol + 1] == '\n') ? 2 : 1);
    if (line.empty()) {
      if (has_data) out.push_back({name.empty() ? "message" : name, data});
      name.clear();
      data.clear();
      has_data = false;
      continue;
    }
    size_t colon = line.find(':');
    if (colon == 0) continue;  // comment
    std::string field = line.substr(0, colon);
    std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    if (field == "event") name = value;
    if (field == "data") {
      if (has_data) data += '\n';
      data += value;
      has_data = true;
    }
  }
  return out;
}

TEST(Sse, EveryPayloadIsExactlyOneEventWithItsData) {
  const std::string payloads[] = {
      "",
      "plain",
      "two\nlines",
      "trailing newline\n",
      "\n\nleading blank lines",
      "\n\nevent: evil\ndata: injected\n\n",
      "id: 7\nretry: 1\n: comment",
      "<div hx-swap-oob=\"true\">\n  <b>1</b>\n</div>",
      std::string("nul\0inside", 11),
  };
  for (const auto& p : payloads) {
    auto events = Interpret(FormatSseEvent("stats", p));
    ASSERT_EQ(events.size(), 1u) << p;
    EXPECT_EQ(events[0], (Event{"stats", p})) << p;
  }
}

TEST(Sse, CarriageReturnsCannotSplitOrInjectEvents) {
  for (const std::string p : {"a\rb", "a\r\rdata: x\r\r", "\r\n\r\nevent: evil", "end\r"}) {
    std::string expected;
    for (char c : p)
      if (c != '\r') expected += c;
    auto events = Interpret(FormatSseEvent("stats", p));
    ASSERT_EQ(events.size(), 1u) << p;
    EXPECT_EQ(events[0], (Event{"stats", expected})) << "CRs are dropped";
  }
}

TEST(Sse, ConsecutiveEventsStaySeparate) {
  auto events =
      Interpret(FormatSseEvent("a", "1\n") + FormatSseEvent("b", "") + FormatSseEvent("c", "3"));
  EXPECT_EQ(events, (std::vector<Event>{{"a", "1\n"}, {"b", ""}, {"c", "3"}}));
}

}  // namespace
}  // namespace observd
