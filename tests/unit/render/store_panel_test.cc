// The history store panel says whether history is kept and never shows a size or a time
// it does not have; the recorder's message is text, never markup. Uses the real template.
#include "render/store_panel.h"

#include <gtest/gtest.h>

#include "render/templates.h"

namespace observd {
namespace {

constexpr double kNow = 1764355200;

std::string Render(const Status& s) {
  auto t = Templates::Load(OBSERVD_TEMPLATES, {"history_store"});
  EXPECT_TRUE(t) << t.error();
  return t ? (*t)->Render("history_store", HistoryStoreData(s)) : "";
}

TEST(StorePanel, AKeptStoreShowsItsSizeLastWriteOldestMinuteAndRetention) {
  Status s;
  s.now = kNow;
  s.history_store.kind = StoreState::Kind::kOk;
  s.history_store.message = "history is kept in /var/lib/observd/history.db";
  s.history_store.retention_seconds = 30 * 86400;
  s.history_store.size_bytes = 3 * 1024 * 1024;
  s.history_store.last_write = kNow - 40;
  s.history_store.since = kNow - 3 * 86400;
  std::string html = Render(s);
  EXPECT_NE(html.find("data-state=\"ok\""), std::string::npos) << html;
  EXPECT_NE(html.find("Kept on disk"), std::string::npos);
  EXPECT_NE(html.find("/var/lib/observd/history.db"), std::string::npos);
  EXPECT_NE(html.find("3.0 MiB"), std::string::npos) << html;
  EXPECT_NE(html.find("datetime=\"2025-11-28T18:39:20Z\" data-clock-title>40 s ago"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find(">3 d ago<"), std::string::npos);
  EXPECT_NE(html.find("30 d 0 h"), std::string::npos);
}

TEST(StorePanel, AFailedStoreSaysWhyAndClaimsNoSizeOrWrite) {
  Status s;
  s.now = kNow;
  s.history_store.kind = StoreState::Kind::kFailed;
  s.history_store.message = "<script>x</script>: disk I/O error";
  std::string html = Render(s);
  EXPECT_NE(html.find("Not being kept"), std::string::npos);
  EXPECT_NE(html.find("fact-bad"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos) << "escaped";
  EXPECT_NE(html.find("&lt;script&gt;x&lt;/script&gt;: disk I/O error"), std::string::npos);
  EXPECT_EQ(html.find("<time"), std::string::npos) << "no write, no oldest minute";
  EXPECT_NE(html.find("On disk</dt><dd data-claim>\xE2\x80\x94<"), std::string::npos) << html;
}

TEST(StorePanel, MemoryOnlyIsAChoiceNotAFault) {
  Status s;
  s.now = kNow;
  s.history_store.message = "history.path is empty: the last 24 hours are kept in memory only";
  s.history_store.retention_seconds = 86400;
  std::string html = Render(s);
  EXPECT_NE(html.find("data-state=\"memory\""), std::string::npos);
  EXPECT_NE(html.find("Memory only"), std::string::npos);
  EXPECT_EQ(html.find("fact-bad"), std::string::npos);
  EXPECT_NE(html.find("1 d 0 h (memory)"), std::string::npos);
}

}  // namespace
}  // namespace observd
