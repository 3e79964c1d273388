// The panel table: one row per live panel of the site (an HTML partial rendered from a
// mustache template), naming everything the rest of the site derives from it: the
// template, the data builder, the render-cache slot, the partial's route, the event
// stream's topic, and the polling interval of its page slot. Constant data; thread-safe.
#pragma once

#include <functional>
#include <kainjow/mustache.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "render/partials.h"
#include "render/uploads_query.h"
#include "status/status.h"

namespace observd {

// What a panel's data builder may read.
struct PanelInput {
  const Status& status;
  const CardThresholds& thresholds;
  const UploadsQuery& uploads;  // the viewer's view (panels with `uploads_view`)
  // The /metrics text of `status`, serialized on demand (shared for the second).
  const std::function<std::string()>& metrics_text;
};

struct Panel {
  // Names the template (frontend/templates/<name>.mustache) and the render-cache slot.
  std::string_view name;
  std::string_view route;  // the partial, polled: "/dashboard/api/stats-html"
  // The event-stream topic (?topics=) and the name of the event that carries it.
  std::string_view topic;
  int poll_seconds;     // the page slot's data-poll: how often it polls without the stream
  int stream_every;     // seconds; the stream sends it at most this often (0: every tick)
  bool uploads_view;    // takes the uploads table's view (limit, status, q, sort): slot per view
  bool counts_refresh;  // a request counts as a dashboard refresh (observd_dashboard_refresh_total)
  kainjow::mustache::data (*data)(const PanelInput&);
};

// Every panel, in route-table order.
std::span<const Panel> Panels();

// The templates a Templates set must hold: every panel's and the shared includes.
std::vector<std::string> RequiredTemplates();

}  // namespace observd
