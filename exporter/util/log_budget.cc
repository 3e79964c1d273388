#include "util/log_budget.h"

namespace observd {

bool LogBudget::Allow(double now, uint64_t* suppressed) {
  std::lock_guard<std::mutex> lk(mu_);
  if (window_start_ < 0 || now - window_start_ >= 1.0 || now < window_start_) {
    window_start_ = now;
    used_ = 0;
  }
  if (used_ >= per_second_) {
    ++refused_;
    return false;
  }
  ++used_;
  *suppressed = refused_;
  refused_ = 0;
  return true;
}

}  // namespace observd
