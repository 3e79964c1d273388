#include "snapshot/history.h"

#include <cmath>

namespace observd {

History::History(size_t latency_capacity) : ring_(std::max<size_t>(1, latency_capacity)) {}

void History::AddLatency(LatencySample sample) {
  std::lock_guard<std::mutex> lk(mu_);
  ring_[head_] = sample;
  head_ = (head_ + 1) % ring_.size();
  size_ = std::min(size_ + 1, ring_.size());
}

std::vector<LatencySample> History::Latency(size_t max) const {
  std::lock_guard<std::mutex> lk(mu_);
  size_t n = max ? std::min(max, size_) : size_;
  std::vector<LatencySample> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(ring_[(head_ + ring_.size() - n + i) % ring_.size()]);
  }
  return out;
}

std::vector<LatencySample> History::LatencyBetween(double from, double to) const {
  std::lock_guard<std::mutex> lk(mu_);
  std::vector<LatencySample> out;
  for (size_t i = 0; i < size_; ++i) {
    const LatencySample& s = ring_[(head_ + ring_.size() - size_ + i) % ring_.size()];
    if (s.t >= from && s.t < to) out.push_back(s);
  }
  return out;
}

void History::AddMinute(const MinuteRow& row) {
  std::lock_guard<std::mutex> lk(mu_);
  if (!minutes_.empty() && minutes_.back().t >= row.t) {
    if (minutes_.back().t == row.t) minutes_.back() = row;
    return;  // rows arrive in order; an older one is already kept
  }
  minutes_.push_back(row);
  while (minutes_.size() > kMemoryMinutes) minutes_.pop_front();
}

std::vector<MinuteRow> History::Minutes(int64_t from, int64_t to) const {
  std::lock_guard<std::mutex> lk(mu_);
  std::vector<MinuteRow> out;
  for (const MinuteRow& m : minutes_) {
    if (m.t >= from && m.t < to) out.push_back(m);
  }
  return out;
}

std::optional<int64_t> History::OldestMinute() const {
  std::lock_guard<std::mutex> lk(mu_);
  if (minutes_.empty()) return std::nullopt;
  return minutes_.front().t;
}

std::optional<LatencySample> History::FirstLatency() const {
  std::lock_guard<std::mutex> lk(mu_);
  if (size_ == 0) return std::nullopt;
  return ring_[(head_ + ring_.size() - size_) % ring_.size()];
}

std::optional<LatencySample> History::LastLatency() const {
  std::lock_guard<std::mutex> lk(mu_);
  if (size_ == 0) return std::nullopt;
  return ring_[(head_ + ring_.size() - 1) % ring_.size()];
}

void History::CountRequest(double now) {
  int64_t minute = static_cast<int64_t>(std::floor(now / 60));
  Bucket& b = buckets_[static_cast<size_t>(minute) % buckets_.size()];
  int64_t seen = b.minute.load(std::memory_order_relaxed);
  if (seen != minute) {
    // First request of a new minute in this slot: claim it and reset the count. A
    // request racing the reset may be lost; the chart tolerates that.
    if (b.minute.compare_exchange_strong(seen, minute)) b.count.store(0);
  }
  b.count.fetch_add(1, std::memory_order_relaxed);
}

uint64_t History::RequestsInMinute(int64_t minute) const {
  const Bucket& b = buckets_[static_cast<size_t>(minute) % buckets_.size()];
  return b.minute.load() == minute ? b.count.load() : 0;
}

std::vector<MinuteCount> History::RequestsPerMinute(double now) const {
  const int64_t first = FirstMinute(now);
  std::vector<MinuteCount> out;
  out.reserve(kMinutes);
  for (int64_t m = first; m < first + kMinutes; ++m) {
    const Bucket& b = buckets_[static_cast<size_t>(m) % buckets_.size()];
    uint64_t count = b.minute.load() == m ? b.count.load() : 0;
    out.push_back({m * 60, count});
  }
  return out;
}

HistoryView MakeHistoryView(const History& history, const Annotations* annotations, double now,
                            size_t latency_points) {
  HistoryView view;
  view.latency = history.Latency(latency_points);
  view.requests_per_minute = history.RequestsPerMinute(now);
  if (annotations) view.annotations = annotations->Since(now - kMinutes * 60);
  return view;
}

}  // namespace observd
