// LogBudget bounds how many lines one noisy source may log: at most `per_second`
// lines in any one-second window; what it refuses is counted and handed to the next
// line it allows, so the log says how much was left out. Used for lines an attacker
// can trigger (failed logins). Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>

namespace observd {

class LogBudget {
 public:
  explicit LogBudget(int per_second) : per_second_(per_second) {}
  LogBudget(const LogBudget&) = delete;
  LogBudget& operator=(const LogBudget&) = delete;

  // True when a line may be logged at `now` (seconds, any monotonic origin); then
  // `*suppressed` is the number of lines refused since the last one allowed.
  bool Allow(double now, uint64_t* suppressed);

 private:
  const int per_second_;
  std::mutex mu_;
  double window_start_ = -1;  // guarded by mu_
  int used_ = 0;              // lines allowed in the current window; guarded by mu_
  uint64_t refused_ = 0;      // guarded by mu_
};

}  // namespace observd
