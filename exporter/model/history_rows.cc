#include "model/history_rows.h"

#include <algorithm>
#include <cmath>

namespace observd {

const char* StoreStateName(StoreState::Kind kind) {
  switch (kind) {
    case StoreState::Kind::kOk:
      return "ok";
    case StoreState::Kind::kMemory:
      return "memory";
    case StoreState::Kind::kFailed:
      return "failed";
  }
  return "failed";
}

namespace {

std::optional<double> Min(std::optional<double> a, std::optional<double> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}
std::optional<double> Max(std::optional<double> a, std::optional<double> b) {
  if (!a) return b;
  if (!b) return a;
  return std::max(*a, *b);
}
std::optional<int64_t> Sum(std::optional<int64_t> a, std::optional<int64_t> b) {
  if (!a) return b;
  if (!b) return a;
  return *a + *b;
}

}  // namespace

MinuteRow MergeRows(int64_t t, const std::vector<MinuteRow>& minutes) {
  MinuteRow out;
  out.t = t;
  double weighted = 0;
  int64_t answered = 0;
  for (const MinuteRow& m : minutes) {
    out.samples += m.samples;
    out.failed += m.failed;
    out.requests += m.requests;
    out.min_ms = Min(out.min_ms, m.min_ms);
    out.max_ms = Max(out.max_ms, m.max_ms);
    out.p99_ms = Max(out.p99_ms, m.p99_ms);
    if (m.mean_ms) {
      const int64_t n = std::max<int64_t>(1, m.samples - m.failed);
      weighted += *m.mean_ms * static_cast<double>(n);
      answered += n;
    }
    out.cache_hits = Sum(out.cache_hits, m.cache_hits);
    out.cache_misses = Sum(out.cache_misses, m.cache_misses);
  }
  if (answered > 0) out.mean_ms = weighted / static_cast<double>(answered);
  return out;
}

MinuteRow SummariseMinute(int64_t t, const std::vector<LatencySample>& samples) {
  MinuteRow row;
  row.t = t;
  std::vector<double> ms;
  for (const LatencySample& s : samples) {
    if (s.t < static_cast<double>(t) || s.t >= static_cast<double>(t + 60)) continue;
    ++row.samples;
    if (s.ms) {
      ms.push_back(*s.ms);
    } else {
      ++row.failed;
    }
  }
  if (ms.empty()) return row;
  std::sort(ms.begin(), ms.end());
  double sum = 0;
  for (double v : ms) sum += v;
  row.min_ms = ms.front();
  row.max_ms = ms.back();
  row.mean_ms = sum / static_cast<double>(ms.size());
  // Nearest rank: the smallest value with at least 99 % of the samples at or below it.
  const size_t rank = static_cast<size_t>(std::ceil(0.99 * static_cast<double>(ms.size())));
  row.p99_ms = ms[std::max<size_t>(rank, 1) - 1];
  return row;
}

}  // namespace observd
