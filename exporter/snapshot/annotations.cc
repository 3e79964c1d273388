#include "snapshot/annotations.h"

#include <algorithm>

namespace observd {

void Annotations::Push(Annotation a) {
  events_.push_back(std::move(a));
  // Keep at most kMax, and nothing that ended an hour before the newest event; an
  // outage still going on is never dropped.
  const double horizon = events_.back().t - kKeepSeconds;
  auto expired = [&](const Annotation& e) { return (e.end ? *e.end : e.t) < horizon; };
  while (!events_.empty()) {
    const bool open_front = open_outage_ && *open_outage_ == 0;
    size_t victim = open_front ? 1 : 0;
    if (victim >= events_.size()) break;
    if (events_.size() <= kMax && (open_front || !expired(events_[victim]))) break;
    const Annotation& gone = events_[victim];
    dropped_until_ = std::max(dropped_until_, gone.end ? *gone.end : gone.t);
    events_.erase(events_.begin() + static_cast<std::ptrdiff_t>(victim));
    if (open_outage_ && *open_outage_ > victim) --*open_outage_;
  }
}

void Annotations::Mark(double t, std::string kind, std::string text) {
  std::lock_guard<std::mutex> lk(mu_);
  Push({t, std::nullopt, std::move(kind), std::move(text)});
}

void Annotations::RedisState(double t, bool up) {
  std::lock_guard<std::mutex> lk(mu_);
  if (seen_redis_ && up == redis_up_) return;
  const bool first = !seen_redis_;
  seen_redis_ = true;
  redis_up_ = up;
  if (!up) {
    Push({t, std::nullopt, "redis_down", "Redis unavailable"});
    open_outage_ = events_.size() - 1;
  } else if (!first && open_outage_) {
    events_[*open_outage_].end = t;
    open_outage_.reset();
  }
}

bool Annotations::Complete(double since) const {
  std::lock_guard<std::mutex> lk(mu_);
  return dropped_until_ < since;
}

std::vector<Annotation> Annotations::Since(double since) const {
  std::lock_guard<std::mutex> lk(mu_);
  std::vector<Annotation> out;
  for (const auto& a : events_) {
    const bool band_open = a.kind == "redis_down" && !a.end;
    if (band_open || (a.end ? *a.end : a.t) >= since) out.push_back(a);
  }
  return out;
}

}  // namespace observd
