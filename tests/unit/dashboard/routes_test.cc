// Tests of dashboard/routes.h: the real route table holds every page of the page list
// and every panel of the panel table, and exactly the partials and JSON are polled.
#include "dashboard/routes.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "dashboard/pages.h"
#include "dashboard/panels.h"

namespace observd {
namespace {

TEST(Routes, PolledRowsAreThePanelsAndTheJson) {
  // The rows' handlers are never called here, so no handlers object is needed.
  RouteTable table = MakeRouteTable(nullptr);
  std::set<std::string> polled;
  for (const Route& r : table.routes()) {
    if (r.polled) polled.insert(r.path);
  }
  std::set<std::string> expected = {"/dashboard/api/stats", "/dashboard/api/history"};
  for (const Panel& p : Panels()) expected.emplace(p.route);
  EXPECT_EQ(polled, expected);
  EXPECT_GE(polled.size(), 5u) << "stats, history and at least today's three panels";
}

TEST(Routes, EveryPageAndPanelIsARowWithItsPathAsLabel) {
  RouteTable table = MakeRouteTable(nullptr);
  for (const PageFile& page : Pages()) {
    size_t index = 0;
    const Route* r = table.Find(std::string(page.url), &index);
    ASSERT_TRUE(r) << page.url;
    EXPECT_EQ(r->label, page.url);
  }
  for (const Panel& panel : Panels()) {
    size_t index = 0;
    const Route* r = table.Find(std::string(panel.route), &index);
    ASSERT_TRUE(r) << panel.route;
    EXPECT_EQ(r->label, panel.route);
    EXPECT_FALSE(r->open);
  }
  auto labels = table.Labels();
  EXPECT_EQ(std::set<std::string>(labels.begin(), labels.end()).size(), labels.size())
      << "every handler label is unique";
}

}  // namespace
}  // namespace observd
