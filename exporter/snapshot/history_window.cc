// HistoryRecorder::Read: one chart window from the store (the minutes already written)
// and memory (the minutes since, and the unfinished one), bucketed by the window's step.
#include <algorithm>
#include <map>

#include "snapshot/history_recorder.h"

namespace observd {
namespace {

void AddAnnotations(std::vector<Annotation> more, std::vector<Annotation>* out) {
  for (Annotation& a : more) {
    auto same = [&](const Annotation& b) { return b.t == a.t && b.kind == a.kind; };
    auto it = std::find_if(out->begin(), out->end(), same);
    if (it == out->end()) {
      out->push_back(std::move(a));
    } else {
      *it = std::move(a);  // memory is newer (a band that has ended since)
    }
  }
}

}  // namespace

bool HistoryRecorder::MemoryCovers(const TimeWindow& w) const {
  // The first minute in memory may share its start with the previous process's last one.
  const std::optional<int64_t> first = history_->OldestMinute();
  if (!first || w.first <= *first) return false;
  double started;
  {
    std::lock_guard<std::mutex> lk(mu_);
    started = started_;
  }
  return w.from >= started && annotations_->Complete(w.from);
}

std::vector<Annotation> HistoryRecorder::WindowAnnotations(const TimeWindow& w,
                                                           HistoryStore* store) const {
  std::vector<Annotation> out;
  if (store) {
    if (auto notes = store->Annotations(w.from, w.to); notes) {
      AddAnnotations(std::move(*notes), &out);
    }
  }
  std::vector<Annotation> recent;
  for (Annotation& a : annotations_->Since(w.from)) {
    if (a.t <= w.to) recent.push_back(std::move(a));
  }
  AddAnnotations(std::move(recent), &out);
  std::sort(out.begin(), out.end(),
            [](const Annotation& a, const Annotation& b) { return a.t < b.t; });
  return out;
}

std::vector<Annotation> HistoryRecorder::ReadAnnotations(const TimeWindow& w) {
  std::shared_ptr<HistoryStore> store = Store();
  if (store && MemoryCovers(w)) store.reset();
  return WindowAnnotations(w, store.get());
}

HistoryWindow HistoryRecorder::Read(const TimeWindow& w, double now) {
  HistoryWindow out;
  out.window = w;
  std::shared_ptr<HistoryStore> store;
  std::optional<int64_t> oldest = history_->OldestMinute();
  {
    std::lock_guard<std::mutex> lk(mu_);
    out.store = state_;
    store = store_;
    if (store_oldest_ && (!oldest || *store_oldest_ < *oldest)) oldest = store_oldest_;
  }
  // The live hour of a process up for longer is all in memory: no disk read.
  if (store && MemoryCovers(w)) store.reset();
  const int64_t end = w.last + w.step;  // exclusive
  // Buckets: the store's, summarised by SQLite, then the minutes it does not have yet
  // (memory: not yet written, and the unfinished one).
  std::map<int64_t, std::vector<MinuteRow>> parts;
  int64_t memory_from = w.first;
  if (store) {
    if (auto stored = store->Buckets(w.first, end, w.step); stored) {
      for (MinuteRow& r : stored->rows) parts[r.t].push_back(std::move(r));
      if (stored->newest) memory_from = std::max(memory_from, *stored->newest + 60);
    } else {
      out.store.kind = StoreState::Kind::kFailed;
      out.store.message = stored.error();
    }
  }
  std::vector<MinuteRow> unwritten = history_->Minutes(memory_from, end);
  const MinuteRow open = OpenMinute(now);
  const bool observed = open.samples > 0 || open.requests > 0;
  if (observed && open.t >= memory_from && open.t < end &&
      (unwritten.empty() || unwritten.back().t < open.t)) {
    unwritten.push_back(open);
  }
  for (MinuteRow& r : unwritten) parts[BucketStart(static_cast<double>(r.t), w.step)].push_back(r);
  for (auto& [t, rows] : parts) {
    out.buckets.push_back(rows.size() == 1 && rows[0].t == t ? rows[0] : MergeRows(t, rows));
  }
  const int64_t open_bucket = BucketStart(now, w.step);
  if (open_bucket >= w.first && open_bucket <= w.last) out.open_bucket = open_bucket;

  // 1 s samples only for spans a chart can draw at that resolution (the last hour).
  if (w.to - w.from <= 3600) out.latency = history_->LatencyBetween(w.from, w.to + 1);

  out.annotations = WindowAnnotations(w, store.get());

  const auto first_sample = history_->FirstLatency();
  std::optional<double> since =
      oldest ? std::optional<double>(static_cast<double>(*oldest)) : std::nullopt;
  if (first_sample && (!since || first_sample->t < *since)) since = first_sample->t;
  out.since = since;
  return out;
}

}  // namespace observd
