#include "util/metric_names.h"

namespace observd::metric_names {

bool IsReserved(std::string_view name) {
  if (name.starts_with("process_")) return true;
  if (name.starts_with("observd_") && !name.starts_with("observd_app_")) return true;
  for (std::string_view app :
       {kAppUploads, kAppUploadsWindow, kAppActiveUsers, kAppWorkflowRunsWindow}) {
    if (name == app) return true;
  }
  return false;
}

}  // namespace observd::metric_names
