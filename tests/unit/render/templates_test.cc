// Tests of render/templates.h: loading (missing, oversized and malformed templates fail
// naming the file), HTML escaping, the shared includes, and concurrent renders.
#include "render/templates.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

namespace observd {
namespace {

using kainjow::mustache::data;

TEST(TemplatesTest, ValuesAreHtmlEscapedUnlessTripleBraced) {
  auto t = Templates::FromText({{"p", "<p>{{v}}</p>{{{raw}}}"}});
  ASSERT_TRUE(t) << t.error();
  data d;
  d.set("v", "<script>alert(\"x\")</script>&'");
  d.set("raw", "<i>");
  const std::string out = (*t)->Render("p", d);
  EXPECT_EQ(out.find("<script>"), std::string::npos) << out;
  EXPECT_NE(out.find("&lt;script&gt;"), std::string::npos) << out;
  EXPECT_NE(out.find("&quot;"), std::string::npos) << out;
  EXPECT_NE(out.find("&amp;"), std::string::npos) << out;
  EXPECT_NE(out.find("<i>"), std::string::npos) << "{{{raw}}} is the template's choice";
}

TEST(TemplatesTest, UnknownNamesAndMissingValuesRenderEmpty) {
  auto t = Templates::FromText({{"p", "[{{missing}}]"}});
  ASSERT_TRUE(t) << t.error();
  EXPECT_EQ((*t)->Render("p", data{}), "[]");
  EXPECT_EQ((*t)->Render("nope", data{}), "");
  EXPECT_EQ((*t)->Render("", data{}), "");
  auto none = Templates::FromText({});
  ASSERT_TRUE(none);
  EXPECT_EQ((*none)->Render("p", data{}), "");
}

TEST(TemplatesTest, BannerIsIncludedWithTheCallersData) {
  ASSERT_STREQ(Templates::kIncludes[0], "banner");
  auto t = Templates::FromText({{"page", "A{{> banner}}B"}, {"banner", "[{{who}}]"}});
  ASSERT_TRUE(t) << t.error();
  data d;
  d.set("who", "<x>");
  EXPECT_EQ((*t)->Render("page", d), "A[&lt;x&gt;]B");
  EXPECT_EQ((*t)->Render("page", data{}), "A[]B");
  // A name not in kIncludes is not an include: it renders as nothing.
  auto other = Templates::FromText({{"page", "A{{> footer}}B"}, {"footer", "F"}});
  ASSERT_TRUE(other);
  EXPECT_EQ((*other)->Render("page", data{}), "AB");
}

TEST(TemplatesTest, AMalformedTemplateFailsNamingIt) {
  auto t = Templates::FromText({{"good", "{{x}}"}, {"bad", "{{#open}}never closed"}});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().rfind("bad.mustache: ", 0), 0u) << t.error();
  EXPECT_FALSE(Templates::FromText({{"bad", "{{unterminated"}}));
}

class TemplatesLoadTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    folder_ = dir_.string();
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(folder_ + "/" + name + ".mustache", std::ios::binary) << text;
  }
  std::string folder_;
};

TEST_F(TemplatesLoadTest, LoadsOnlyTheNamedFiles) {
  Write("a", "a={{v}}");
  Write("b", "b");
  auto t = Templates::Load(folder_, {"a"});
  ASSERT_TRUE(t) << t.error();
  data d;
  d.set("v", "1");
  EXPECT_EQ((*t)->Render("a", d), "a=1");
  EXPECT_EQ((*t)->Render("b", d), "") << "not asked for";
}

TEST_F(TemplatesLoadTest, MissingOversizedAndMalformedFilesFailNamingThePath) {
  auto missing = Templates::Load(folder_, {"absent"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find(folder_ + "/absent.mustache: cannot read template"),
            std::string::npos)
      << missing.error();
  Write("huge", std::string((1 << 20) + 1, 'x'));
  auto huge = Templates::Load(folder_, {"huge"});
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.error().find("huge.mustache"), std::string::npos) << huge.error();
  Write("exact", std::string(1 << 20, 'x'));  // the limit itself loads
  EXPECT_TRUE(Templates::Load(folder_, {"exact"}));
  Write("bad", "{{#s}}");
  auto bad = Templates::Load(folder_, {"bad"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().rfind(folder_ + "/bad.mustache: ", 0), 0u) << bad.error();
}

TEST(TemplatesTest, ConcurrentRendersOfOneTemplateAgree) {
  auto t = Templates::FromText(
      {{"p", "{{#items}}<li>{{.}}</li>{{/items}}{{> banner}}"}, {"banner", "!"}});
  ASSERT_TRUE(t) << t.error();
  kainjow::mustache::list items;
  for (int i = 0; i < 50; ++i) items.push_back(std::to_string(i));
  data d;
  d.set("items", items);
  const std::string expected = (*t)->Render("p", d);
  ASSERT_NE(expected.find("<li>49</li>!"), std::string::npos) << expected;
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int n = 0; n < 200; ++n) {
        if ((*t)->Render("p", d) != expected) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace observd
