#include "snapshot/history_recorder.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <system_error>

namespace observd {
namespace {

constexpr double kCloseDelay = 2;           // s after a minute ends: its last PING is in
constexpr double kRetryOpenSeconds = 60;    // a store that could not be opened
constexpr double kTrimEverySeconds = 3600;  // retention
constexpr size_t kMaxPendingSamples = 3600;
constexpr int64_t kMaxCatchUpMinutes = 5;  // after a stall, older minutes are not invented

int64_t MinuteOf(double t) { return static_cast<int64_t>(std::floor(t / 60)); }

// The size of `path` in bytes; 0 when it does not exist (a WAL checkpointed away).
int64_t FileBytes(const std::string& path) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(n);
}

template <typename T>
void KeepNewest(std::vector<T>* v, size_t n) {
  if (v->size() > n) v->erase(v->begin(), v->end() - static_cast<std::ptrdiff_t>(n));
}

}  // namespace

HistoryRecorder::HistoryRecorder(History* history, Annotations* annotations, CacheCounts cache,
                                 std::function<double()> now, Options options)
    : history_(history),
      annotations_(annotations),
      cache_(std::move(cache)),
      now_(std::move(now)),
      options_(std::move(options)) {
  state_.retention_seconds = static_cast<int64_t>(options_.retention_seconds);
  if (options_.path.empty()) {
    // What memory keeps is the retention then.
    state_.retention_seconds = static_cast<int64_t>(History::kMemoryMinutes) * 60;
    state_.message = fmt::format("history.path is empty: the last {} hours are kept in memory only",
                                 History::kMemoryMinutes / 60);
  }
}

HistoryRecorder::~HistoryRecorder() { Stop(); }

void HistoryRecorder::Open() {
  const double now = now_();
  {
    std::lock_guard<std::mutex> lk(mu_);
    started_ = now;
  }
  next_minute_ = MinuteOf(now);
  cache_at_minute_ = cache_();
  if (!options_.path.empty()) TryOpen(now);
}

void HistoryRecorder::Start() {
  Open();
  thread_ = std::thread([this] { Run(); });
}

void HistoryRecorder::Stop() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (stop_ || !thread_.joinable()) return;
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

StoreState HistoryRecorder::state() const {
  std::lock_guard<std::mutex> lk(mu_);
  StoreState s = state_;
  if (store_ && store_oldest_) s.since = static_cast<double>(*store_oldest_);
  return s;
}

uint64_t HistoryRecorder::store_reads() const {
  auto store = Store();
  return store ? store->reads() : 0;
}

std::shared_ptr<HistoryStore> HistoryRecorder::Store() const {
  std::lock_guard<std::mutex> lk(mu_);
  return store_;
}

void HistoryRecorder::Buckets::SaveBuckets(const std::string& fingerprint,
                                           const std::string& series, int64_t step,
                                           const std::vector<BucketCount>& closed) {
  if (auto store = r_->Store()) store->SaveBuckets(fingerprint, series, step, closed);
}

std::vector<BucketCount> HistoryRecorder::Buckets::LoadBuckets(const std::string& fingerprint,
                                                               const std::string& series,
                                                               int64_t step, int64_t from,
                                                               int64_t to) {
  auto store = r_->Store();
  return store ? store->LoadBuckets(fingerprint, series, step, from, to)
               : std::vector<BucketCount>{};
}

void HistoryRecorder::SetState(StoreState::Kind kind, std::string message, double now, bool wrote) {
  StoreState before;
  {
    std::lock_guard<std::mutex> lk(mu_);
    before = state_;
    state_.kind = kind;
    state_.message = message;
    if (kind == StoreState::Kind::kOk) {
      state_.size_bytes = FileBytes(options_.path) + FileBytes(options_.path + "-wal");
      if (wrote) state_.last_write = now;
    } else {
      state_.size_bytes.reset();  // a failing store's size is not known to be today's
    }
  }
  if (before.kind == kind && before.message == message) return;
  if (kind == StoreState::Kind::kFailed) {
    spdlog::error("history store: {}; history is not being kept (live data is still served)",
                  message);
    annotations_->Mark(now, "store", "history not kept: " + message);
  } else if (before.kind == StoreState::Kind::kFailed) {
    spdlog::info("history store {}: {}", options_.path, message);
    annotations_->Mark(now, "store", "history kept again");
  }
}

void HistoryRecorder::TryOpen(double now) {
  next_open_try_ = now + kRetryOpenSeconds;
  auto opened = HistoryStore::Open(options_.path);
  if (!opened) {
    SetState(StoreState::Kind::kFailed, opened.error(), now);
    return;
  }
  std::shared_ptr<HistoryStore> store(std::move(*opened));
  // The last hour of 1 s samples, so the charts are whole right after a restart.
  if (auto samples = store->Latency(now - 3600, now); samples) {
    for (const LatencySample& s : *samples) history_->AddLatency(s);
  }
  // A failure here is the next write's failure, said then.
  (void)store->CloseOpenBands();
  auto oldest = store->OldestMinute();
  {
    std::lock_guard<std::mutex> lk(mu_);
    store_oldest_ = oldest ? *oldest : std::nullopt;
    store_ = std::move(store);
  }
  SetState(StoreState::Kind::kOk, "history is kept in " + options_.path, now);
}

MinuteRow HistoryRecorder::OpenMinute(double now) const {
  const int64_t m = MinuteOf(now);
  MinuteRow row = SummariseMinute(m * 60, history_->LatencyBetween(m * 60, m * 60 + 60));
  row.requests = static_cast<int64_t>(history_->RequestsInMinute(m));
  return row;
}

void HistoryRecorder::CloseMinutes(double now) {
  const int64_t current = MinuteOf(now - kCloseDelay);
  if (next_minute_ < current - kMaxCatchUpMinutes) next_minute_ = current - kMaxCatchUpMinutes;
  if (next_minute_ >= current) return;
  // Cache reads since the last close go to the newest closed minute.
  const auto cache = cache_();
  for (int64_t m = next_minute_; m < current; ++m) {
    const double t0 = static_cast<double>(m * 60);
    auto samples = history_->LatencyBetween(t0, t0 + 60);
    MinuteRow row = SummariseMinute(m * 60, samples);
    row.requests = static_cast<int64_t>(history_->RequestsInMinute(m));
    if (row.samples == 0 && row.requests == 0) continue;  // not observed: a gap
    if (m == current - 1) {
      row.cache_hits = static_cast<int64_t>(cache.first - cache_at_minute_.first);
      row.cache_misses = static_cast<int64_t>(cache.second - cache_at_minute_.second);
    }
    history_->AddMinute(row);
    pending_.minutes.push_back(row);
    pending_.latency.insert(pending_.latency.end(), samples.begin(), samples.end());
  }
  cache_at_minute_ = cache;
  next_minute_ = current;
  KeepNewest(&pending_.minutes, History::kMemoryMinutes);
  KeepNewest(&pending_.latency, kMaxPendingSamples);
}

void HistoryRecorder::Flush(double now) {
  std::shared_ptr<HistoryStore> store;
  {
    std::lock_guard<std::mutex> lk(mu_);
    store = store_;
  }
  if (!store && options_.path.empty()) {
    pending_ = StoreBatch{};  // memory only: History keeps the rows
    return;
  }
  if (!store) {
    if (now < next_open_try_) return;  // kept (bounded) for when the store opens
    TryOpen(now);
    std::lock_guard<std::mutex> lk(mu_);
    store = store_;
    if (!store) return;
  }
  for (AppBuckets& b : store->TakeQueuedBuckets()) pending_.buckets.push_back(std::move(b));
  pending_.annotations = annotations_->Since(now - 2 * 3600);
  if (auto r = store->Write(pending_); !r) {
    SetState(StoreState::Kind::kFailed, r.error(), now);
    pending_.buckets.clear();  // counted again from Redis when asked for
    return;
  }
  if (!pending_.minutes.empty()) {
    const int64_t first =
        std::min_element(pending_.minutes.begin(), pending_.minutes.end(),
                         [](const MinuteRow& a, const MinuteRow& b) { return a.t < b.t; })
            ->t;
    std::lock_guard<std::mutex> lk(mu_);
    store_oldest_ = std::min(store_oldest_.value_or(first), first);
  }
  pending_ = StoreBatch{};
  SetState(StoreState::Kind::kOk, "history is kept in " + options_.path, now, /*wrote=*/true);
  if (now >= next_trim_) {
    next_trim_ = now + kTrimEverySeconds;
    if (auto r = store->Trim(now, options_.retention_seconds); !r) {
      SetState(StoreState::Kind::kFailed, r.error(), now);
    } else if (auto oldest = store->OldestMinute(); oldest) {
      std::lock_guard<std::mutex> lk(mu_);
      store_oldest_ = *oldest;
    }
  }
}

void HistoryRecorder::Tick(double t, bool final) {
  CloseMinutes(t);
  if (final) {
    // The unfinished minute too: a restart shows the data up to the stop.
    MinuteRow open = OpenMinute(t);
    if (open.samples > 0 || open.requests > 0) pending_.minutes.push_back(open);
    auto rest = history_->LatencyBetween(static_cast<double>(next_minute_ * 60), t + 1);
    pending_.latency.insert(pending_.latency.end(), rest.begin(), rest.end());
  }
  if (!pending_.minutes.empty() || final) Flush(t);
}

void HistoryRecorder::Run() {
  std::unique_lock<std::mutex> lk(mu_);
  while (!stop_) {
    // Wake just after the next minute closes.
    const double now = now_();
    const double next = static_cast<double>((MinuteOf(now - kCloseDelay) + 1) * 60) + kCloseDelay;
    const auto wait = std::chrono::duration<double>(std::clamp(next - now, 0.05, 60.0));
    wake_.wait_for(lk, wait, [this] { return stop_; });
    const bool stopping = stop_;
    lk.unlock();
    Tick(now_(), stopping);
    lk.lock();
  }
}

}  // namespace observd
