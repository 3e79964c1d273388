// AppSeries' counting half: the batches a reader sends to Redis for the buckets memory
// and the store did not answer (the checks of ended trailing spans, the counts of the
// rest), and how their replies are kept. The reading half is app_series.cc.
#include <spdlog/spdlog.h>

#include <optional>
#include <utility>
#include <vector>

#include "snapshot/app_series.h"
#include "snapshot/replies.h"

namespace observd {

namespace {

// The contiguous run of ended buckets counted before, per series, that one ZCOUNT over
// their span checks: indexes into `missing` (empty for a series without such a run of
// at least two buckets).
template <typename M>
std::vector<std::vector<size_t>> CheckSpans(const std::vector<M>& missing, size_t series,
                                            int64_t step) {
  std::vector<std::vector<size_t>> spans(series);
  for (size_t k = 0; k < missing.size(); ++k) {
    const M& m = missing[k];
    if (!m.previous) continue;
    auto& span = spans[m.series];
    if (!span.empty() && missing[span.back()].t + step != m.t) span.clear();  // keep the last run
    span.push_back(k);
  }
  for (auto& span : spans) {
    if (span.size() < 2) span.clear();
  }
  return spans;
}

}  // namespace

std::optional<std::vector<ReplyPtr>> AppSeries::Send(const std::vector<Command>& commands) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    ++stats_.batches;
    stats_.commands += commands.size();
  }
  auto replies = pipeline_(commands);
  if (!replies) {
    spdlog::debug("series counts failed: {}", replies.error());
    return std::nullopt;  // unknown, and not kept: the next read asks again
  }
  if (auto ok = NoRefusal(*replies); !ok) {
    spdlog::debug("series counts failed: {}", ok.error());
    return std::nullopt;
  }
  if (replies->size() != commands.size()) return std::nullopt;
  return std::move(*replies);
}

void AppSeries::Count(const BucketRange& range, double now, Plan* plan) {
  // Round one: a check per span, a count per other bucket.
  const auto spans = CheckSpans(plan->missing, plan->series.size(), range.step);
  std::vector<bool> in_span(plan->missing.size(), false);
  std::vector<Command> commands;
  std::vector<size_t> checked;  // series of each check, in order
  for (size_t s = 0; s < spans.size(); ++s) {
    if (spans[s].empty()) continue;
    const Missing& first = plan->missing[spans[s].front()];
    const Missing& last = plan->missing[spans[s].back()];
    Command c = BucketCountCommand(plan->series[s].key, first.t, last.t + range.step - first.t);
    commands.push_back(std::move(c));
    checked.push_back(s);
    for (size_t k : spans[s]) in_span[k] = true;
  }
  std::vector<size_t> counted;  // indexes into missing, in order after the checks
  for (size_t k = 0; k < plan->missing.size(); ++k) {
    if (in_span[k]) continue;
    const Missing& m = plan->missing[k];
    commands.push_back(BucketCountCommand(plan->series[m.series].key, m.t, range.step));
    counted.push_back(k);
  }
  auto replies = Send(commands);
  if (!replies) return;
  std::vector<std::pair<size_t, MaybeInt>> results;  // missing index -> count
  std::vector<size_t> recount;
  for (size_t c = 0; c < checked.size(); ++c) {
    const auto& span = spans[checked[c]];
    int64_t sum = 0;
    for (size_t k : span) sum += *plan->missing[k].previous;
    const MaybeInt total = CountReply((*replies)[c]);
    for (size_t k : span) {
      if (total && *total == sum) {
        results.emplace_back(k, plan->missing[k].previous);
      } else {
        recount.push_back(k);  // changed (or unknown): one count a bucket
      }
    }
  }
  for (size_t i = 0; i < counted.size(); ++i) {
    results.emplace_back(counted[i], CountReply((*replies)[checked.size() + i]));
  }
  // Round two: the buckets of the spans whose total changed.
  if (!recount.empty()) {
    commands.clear();
    for (size_t k : recount) {
      const Missing& m = plan->missing[k];
      commands.push_back(BucketCountCommand(plan->series[m.series].key, m.t, range.step));
    }
    if (auto more = Send(commands)) {
      for (size_t i = 0; i < recount.size(); ++i) {
        results.emplace_back(recount[i], CountReply((*more)[i]));
      }
    }
  }
  std::vector<std::vector<BucketCount>> closed(plan->series.size());
  {
    std::lock_guard<std::mutex> lk(mu_);
    for (const auto& [k, count] : results) {
      const Missing& m = plan->missing[k];
      if (!count) continue;  // garbage (WRONGTYPE...): unknown, asked again next time
      plan->counts[m.series][m.index] = count;
      Keep({plan->fingerprint, plan->series[m.series].name, range.step}, m.t,
           {*count, now, m.closed});
      if (m.closed) closed[m.series].push_back({m.t, *count});
    }
  }
  if (!store_) return;
  for (size_t s = 0; s < closed.size(); ++s) {
    if (closed[s].empty()) continue;
    store_->SaveBuckets(plan->fingerprint, plan->series[s].name, range.step, closed[s]);
  }
}

}  // namespace observd
