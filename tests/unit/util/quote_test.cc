// Tests of util/quote.h: QuoteForError's escaping and bound on hostile input.
#include "util/quote.h"

#include <gtest/gtest.h>

#include <string>

namespace observd {
namespace {

TEST(QuoteTest, PlainTextIsQuotedAsItIs) {
  EXPECT_EQ(QuoteForError(""), "\"\"");
  EXPECT_EQ(QuoteForError("redis://host:6379/0"), "\"redis://host:6379/0\"");
  EXPECT_EQ(QuoteForError("caf\xc3\xa9"), "\"caf\xc3\xa9\"");  // UTF-8 bytes pass through
}

TEST(QuoteTest, QuotesBackslashesAndControlBytesAreEscaped) {
  EXPECT_EQ(QuoteForError("a\"b"), "\"a\\\"b\"");
  EXPECT_EQ(QuoteForError("a\\b"), "\"a\\\\b\"");
  EXPECT_EQ(QuoteForError("line\nnext\r\t"), "\"line\\x0anext\\x0d\\x09\"");
  EXPECT_EQ(QuoteForError(std::string("\0\x1f\x7f\x20", 4)), "\"\\x00\\x1f\\x7f \"");
  EXPECT_EQ(QuoteForError("\x1b[31m"), "\"\\x1b[31m\"");  // no terminal escapes in logs
  EXPECT_EQ(QuoteForError("\x80\xff"), "\"\x80\xff\"");   // not control bytes
}

TEST(QuoteTest, OnlyTheFirstMaxBytesAreShown) {
  const std::string exact(64, 'a');
  EXPECT_EQ(QuoteForError(exact), "\"" + exact + "\"") << "64 bytes fit the default";
  EXPECT_EQ(QuoteForError(exact + "b"), "\"" + exact + "...\"");
  EXPECT_EQ(QuoteForError(std::string(1 << 20, 'x')).size(), 64u + 5u);
  EXPECT_EQ(QuoteForError("abcdef", 3), "\"abc...\"");
  EXPECT_EQ(QuoteForError("abc", 3), "\"abc\"");
  EXPECT_EQ(QuoteForError("abc", 0), "\"...\"");
  EXPECT_EQ(QuoteForError("", 0), "\"\"");
}

TEST(QuoteTest, TheBoundCountsInputBytesNotEscapes) {
  // Each newline becomes four characters, but is one byte of the 64.
  const std::string out = QuoteForError(std::string(100, '\n'));
  EXPECT_EQ(out.size(), 1 + 64 * 4 + 3 + 1);
  EXPECT_EQ(out.substr(out.size() - 4), "...\"");
  // The output is always one line of printable ASCII (plus what came in >= 0x80).
  for (char c : QuoteForError(std::string("\0\n\r\x7f\"\\", 6))) {
    EXPECT_GE(static_cast<unsigned char>(c), 0x20);
    EXPECT_NE(static_cast<unsigned char>(c), 0x7f);
  }
}

}  // namespace
}  // namespace observd
