// The route table of observd: every path it answers, in one list. The pages come from
// the page list (dashboard/pages.h), the partials from the panel table
// (dashboard/panels.h); adding any other route is adding a row here (and its handler in
// DashboardHandlers). Thread-safe: the table is immutable.
#pragma once

#include "dashboard/handlers.h"
#include "http/route_table.h"

namespace observd {

// The routes of DESIGN.md bound to `handlers`, which must outlive the table.
RouteTable MakeRouteTable(DashboardHandlers* handlers);

}  // namespace observd
