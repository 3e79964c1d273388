#include "model/refresh_outcome.h"

namespace observd {

const char* RefreshOutcomeName(RefreshOutcome outcome) {
  switch (outcome) {
    case RefreshOutcome::kComputed:
      return "computed";
    case RefreshOutcome::kShared:
      return "shared";
    case RefreshOutcome::kFailed:
      return "failed";
  }
  return "failed";
}

}  // namespace observd
