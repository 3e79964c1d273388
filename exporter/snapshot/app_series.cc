#include "snapshot/app_series.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "snapshot/replies.h"

namespace observd {

std::vector<AppSeriesKey> AppSeriesKeys(const KeysConfig& keys) {
  std::vector<AppSeriesKey> out;
  out.push_back({"uploads", keys.uploads_timeline, ""});
  for (const auto& status : keys.workflow_statuses) {
    out.push_back({"runs:" + status, keys.workflow_runs_prefix + status, status});
  }
  return out;
}

Command BucketCountCommand(const std::string& key, int64_t t, int64_t step) {
  std::string end = "(";  // exclusive: the next bucket's start belongs to the next bucket
  end += std::to_string(t + step);
  return {"ZCOUNT", key, std::to_string(t), std::move(end)};
}

AppSeries::AppSeries(Options options, Pipeline pipeline,
                     std::shared_ptr<const SnapshotSource> source, BucketStore* store,
                     std::function<double()> now)
    : options_(options),
      pipeline_(std::move(pipeline)),
      store_(store),
      now_(std::move(now)),
      source_(std::move(source)) {}

void AppSeries::SetSource(std::shared_ptr<const SnapshotSource> source) {
  std::lock_guard<std::mutex> lk(mu_);
  const std::string& fingerprint = source->fingerprint();
  for (auto it = groups_.begin(); it != groups_.end();) {
    if (std::get<0>(it->first) == fingerprint) {
      ++it;
      continue;
    }
    entries_ -= it->second.buckets.size();
    it = groups_.erase(it);
  }
  source_ = std::move(source);
}

AppSeries::Stats AppSeries::stats() const {
  std::lock_guard<std::mutex> lk(mu_);
  Stats s = stats_;
  s.entries = entries_;
  return s;
}

Result<AppSeriesView> AppSeries::Read(const BucketRange& range) {
  if (auto ok = CheckBucketRange(range); !ok) return Fail(ok.error());
  const double now = now_();
  Plan plan = Lookup(range, now);
  if (plan.missing.empty()) return ToView(range, std::move(plan));
  {
    std::unique_lock<std::mutex> lk(mu_);
    if (counting_) {
      // Another read is counting, most likely the same buckets: wait for it (bounded),
      // then count only what it left.
      ++stats_.waits;
      ++stats_.waiting;
      const bool done = counted_.wait_for(lk, options_.max_wait, [this] { return !counting_; });
      --stats_.waiting;
      if (!done) return ToView(range, std::move(plan));  // the rest stays unknown
    }
    counting_ = true;
  }
  struct Done {
    AppSeries* self;
    ~Done() {
      {
        std::lock_guard<std::mutex> lk(self->mu_);
        self->counting_ = false;
      }
      self->counted_.notify_all();
    }
  } done{this};
  // Whoever counted last may have kept these buckets since the first look.
  plan = Lookup(range, now);
  if (!plan.missing.empty()) LoadClosed(range, &plan);
  if (!plan.missing.empty()) Count(range, now, &plan);
  return ToView(range, std::move(plan));
}

AppSeries::Plan AppSeries::Lookup(const BucketRange& range, double now) {
  std::lock_guard<std::mutex> lk(mu_);
  Plan plan;
  plan.fingerprint = source_->fingerprint();
  plan.series = AppSeriesKeys(source_->keys());
  const double ttl = std::chrono::duration<double>(options_.ttl).count();
  const auto n = static_cast<size_t>(range.count());
  const uint64_t read = ++reads_;
  for (size_t s = 0; s < plan.series.size(); ++s) {
    plan.counts.emplace_back(n, std::nullopt);
    auto group = groups_.find({plan.fingerprint, plan.series[s].name, range.step});
    if (group != groups_.end()) group->second.used = read;
    for (size_t i = 0; i < n; ++i) {
      const int64_t t = range.first + static_cast<int64_t>(i) * range.step;
      if (static_cast<double>(t) > now) break;  // not started: unknown
      const bool closed = static_cast<double>(t + range.step) <=
                          now - static_cast<double>(options_.trailing_seconds);
      std::optional<int64_t> previous;
      if (group != groups_.end()) {
        auto e = group->second.buckets.find(t);
        if (e != group->second.buckets.end() &&
            (e->second.closed || (!closed && now - e->second.counted_at < ttl))) {
          plan.counts[s][i] = e->second.count;
          continue;
        }
        // Ended (not the open bucket) and counted before: checked as part of a span.
        if (e != group->second.buckets.end() && static_cast<double>(t + range.step) <= now) {
          previous = e->second.count;
        }
      }
      plan.missing.push_back({s, i, t, closed, previous});
    }
  }
  return plan;
}

void AppSeries::LoadClosed(const BucketRange& range, Plan* plan) {
  if (!store_) return;
  std::vector<BucketCount> loaded;
  std::vector<bool> found(plan->missing.size(), false);
  for (size_t s = 0; s < plan->series.size(); ++s) {
    // The span of this series' missing closed buckets: one store read.
    int64_t from = 0;
    int64_t to = -1;
    for (const Missing& m : plan->missing) {
      if (m.series != s || !m.closed) continue;
      if (to < from) from = m.t;
      to = m.t;
    }
    if (to < from) continue;
    // Half-open [from, to + step): the last missing bucket's start is inside.
    std::map<int64_t, int64_t> got;
    for (const BucketCount& b : store_->LoadBuckets(plan->fingerprint, plan->series[s].name,
                                                    range.step, from, to + range.step)) {
      if (b.count >= 0) got[b.t] = b.count;
    }
    std::lock_guard<std::mutex> lk(mu_);
    for (size_t k = 0; k < plan->missing.size(); ++k) {
      const Missing& m = plan->missing[k];
      if (m.series != s || !m.closed) continue;
      auto it = got.find(m.t);
      if (it == got.end()) continue;
      plan->counts[s][m.index] = it->second;
      Keep({plan->fingerprint, plan->series[s].name, range.step}, m.t, {it->second, 0, true});
      found[k] = true;
    }
  }
  std::vector<Missing> rest;
  for (size_t k = 0; k < plan->missing.size(); ++k) {
    if (!found[k]) rest.push_back(plan->missing[k]);
  }
  plan->missing = std::move(rest);
}

void AppSeries::Keep(const GroupKey& key, int64_t t, const Entry& entry) {
  Group& group = groups_[key];
  group.used = reads_;
  if (group.buckets.insert_or_assign(t, entry).second) {
    ++entries_;
    Evict();
  }
}

void AppSeries::Evict() {
  while (entries_ > options_.max_entries && !groups_.empty()) {
    auto victim = groups_.begin();
    for (auto it = groups_.begin(); it != groups_.end(); ++it) {
      if (it->second.used < victim->second.used) victim = it;
    }
    if (groups_.size() > 1) {
      entries_ -= victim->second.buckets.size();
      groups_.erase(victim);
      continue;
    }
    // One group over the bound by itself: drop its oldest buckets.
    auto& buckets = victim->second.buckets;
    while (entries_ > options_.max_entries && !buckets.empty()) {
      buckets.erase(buckets.begin());
      --entries_;
    }
  }
}

AppSeriesView AppSeries::ToView(const BucketRange& range, Plan&& plan) {
  AppSeriesView view;
  view.first = range.first;
  view.step = range.step;
  for (size_t s = 0; s < plan.series.size(); ++s) {
    if (plan.series[s].status.empty()) {
      view.uploads = std::move(plan.counts[s]);
    } else {
      view.runs[plan.series[s].status] = std::move(plan.counts[s]);
    }
  }
  return view;
}

}  // namespace observd
