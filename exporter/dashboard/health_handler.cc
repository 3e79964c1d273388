// DashboardHandlers' liveness and readiness.
#include "dashboard/handlers.h"

namespace observd {

Response DashboardHandlers::Healthy(const Request&) { return TextResponse(200, "Healthy"); }

Response DashboardHandlers::Ready(const Request&) {
  // Ready once bound and the first snapshot and PING were attempted (success or not).
  return ready_ && deps_.first_reads_attempted() ? TextResponse(200, "Ready")
                                                 : TextResponse(503, "Not ready");
}

}  // namespace observd
