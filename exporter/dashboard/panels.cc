#include "dashboard/panels.h"

#include "render/store_panel.h"
#include "render/templates.h"

namespace observd {
namespace {

kainjow::mustache::data Stats(const PanelInput& in) { return StatsData(in.status, in.thresholds); }

kainjow::mustache::data RecentUploads(const PanelInput& in) {
  return UploadsData(in.status, in.uploads);
}

kainjow::mustache::data HistoryStore(const PanelInput& in) { return HistoryStoreData(in.status); }

kainjow::mustache::data MetricsText(const PanelInput& in) {
  return MetricsTextData(in.status, in.metrics_text());
}

// clang-format off
constexpr Panel kPanels[] = {
  // name              route                                  topic      poll stream view   refresh data
  {"stats",            "/dashboard/api/stats-html",           "stats",   5,   0,     false, true,   Stats},
  {"recent_uploads",   "/dashboard/api/recent-uploads-html",  "uploads", 10,  0,     true,  false,  RecentUploads},
  // The panel says "refreshed every 10 s".
  {"metrics_text",     "/dashboard/api/metrics-html",         "metrics", 10,  10,    false, false,  MetricsText},
  // Written once a minute: every 30 s is fresh enough.
  {"history_store",    "/dashboard/api/history-store-html",   "store",   30,  30,    false, false,  HistoryStore},
};
// clang-format on

}  // namespace

std::span<const Panel> Panels() { return kPanels; }

std::vector<std::string> RequiredTemplates() {
  std::vector<std::string> names;
  for (const Panel& p : kPanels) names.emplace_back(p.name);
  for (const char* const* name = Templates::kIncludes; *name; ++name) names.emplace_back(*name);
  return names;
}

}  // namespace observd
