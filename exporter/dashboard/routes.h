// The route table of observd: every path it answers, in one list. Adding a route is
// adding a row here (and its handler in DashboardHandlers). Thread-safe: the table
// is immutable.
#pragma once

#include "http/dashboard_handlers.h"
#include "http/route_table.h"

namespace observd {

// The routes of DESIGN.md bound to `handlers`, which must outlive the table.
RouteTable MakeRouteTable(DashboardHandlers* handlers);

}  // namespace observd
