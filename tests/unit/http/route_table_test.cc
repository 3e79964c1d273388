// Tests of http/route_table.h: exact and prefix matching, first row wins, labels in
// row order, and paths a client may send that must not match.
#include "http/route_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace observd {
namespace {

Route Row(std::string path, std::string label, Route::Match match = Route::Match::kExact) {
  Route r;
  r.path = std::move(path);
  r.match = match;
  r.label = std::move(label);
  r.handle = [label = r.label](const Request&) { return TextResponse(200, label); };
  return r;
}

RouteTable Table() {
  return RouteTable({Row("/metrics", "metrics"), Row("/", "index"),
                     Row("/static/", "static", Route::Match::kPrefix),
                     Row("/static/exact", "never", Route::Match::kExact)});
}

// The label of the row `path` finds, "404" without one; `*index` checked against it.
std::string Find(const RouteTable& t, std::string_view path) {
  size_t index = 99;
  const Route* r = t.Find(path, &index);
  if (!r) {
    EXPECT_EQ(index, 99u) << "index written without a row: " << path;
    return "404";
  }
  EXPECT_EQ(r, &t.routes()[index]) << path;
  return r->label;
}

TEST(RouteTableTest, ExactRowsMatchOnlyTheWholePath) {
  const RouteTable t = Table();
  EXPECT_EQ(Find(t, "/metrics"), "metrics");
  EXPECT_EQ(Find(t, "/"), "index");
  EXPECT_EQ(Find(t, "/metrics/"), "404");
  EXPECT_EQ(Find(t, "/metricsx"), "404");
  EXPECT_EQ(Find(t, "/METRICS"), "404") << "paths are case-sensitive";
  EXPECT_EQ(Find(t, "metrics"), "404");
  EXPECT_EQ(Find(t, ""), "404");
  EXPECT_EQ(Find(t, std::string_view("/metrics\0x", 10)), "404") << "a NUL is not an end";
}

TEST(RouteTableTest, PrefixRowsMatchWhatStartsWithThemAndTheFirstRowWins) {
  const RouteTable t = Table();
  EXPECT_EQ(Find(t, "/static/"), "static");
  EXPECT_EQ(Find(t, "/static/css/site.css"), "static");
  EXPECT_EQ(Find(t, "/static/exact"), "static") << "an earlier prefix row shadows it";
  EXPECT_EQ(Find(t, "/static"), "404") << "the prefix includes its slash";
  EXPECT_EQ(Find(t, "/staticx/a"), "404");
  EXPECT_EQ(Find(t, "/static/" + std::string(100000, 'a')), "static");
}

TEST(RouteTableTest, LabelsAreInRowOrderAndRowsKeepTheirHandlers) {
  const RouteTable t = Table();
  EXPECT_EQ(t.Labels(), (std::vector<std::string>{"metrics", "index", "static", "never"}));
  size_t index = 0;
  ASSERT_NE(t.Find("/static/x", &index), nullptr);
  EXPECT_EQ(index, 2u);
  EXPECT_EQ(t.routes()[index].handle(Request{}).body, "static\n");
}

TEST(RouteTableTest, AnEmptyTableFindsNothing) {
  const RouteTable t({});
  EXPECT_EQ(Find(t, "/"), "404");
  EXPECT_TRUE(t.Labels().empty());
}

}  // namespace
}  // namespace observd
