#include "snapshot/snapshot_cache.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>

namespace observd {
namespace {

constexpr Millis kLockPoll{50};
constexpr int kLockPolls = 20;  // wait at most ~1 s for another instance's result.

bool IsFresh(double computed_at, double now, Millis ttl) {
  double age = now - computed_at;
  return age < ttl.count() / 1000.0 && age > -ttl.count() / 1000.0;
}

}  // namespace

// ---------------------------------------------------------------- shared provider

SharedSnapshotProvider::SharedSnapshotProvider(SnapshotClients clients,
                                               std::shared_ptr<const SnapshotSource> source,
                                               std::string key, Millis ttl)
    : clients_(std::move(clients)),
      source_(std::move(source)),
      key_(std::move(key)),
      lock_key_(key_ + ":lock"),
      ttl_(ttl) {}

void SharedSnapshotProvider::SetSource(std::shared_ptr<const SnapshotSource> source) {
  std::lock_guard<std::mutex> lk(source_mu_);
  source_ = std::move(source);
}

Result<SharedSnapshotProvider::SharedRead> SharedSnapshotProvider::ReadShared(
    const SnapshotSource& source, double now) {
  // STRLEN before the value, and at most kMaxSharedBytes of it: a key that was
  // overwritten with something huge must cost a miss, not the connection.
  auto got = clients_.master->Pipeline(
      {{"STRLEN", key_}, {"GETRANGE", key_, "0", std::to_string(kMaxSharedBytes - 1)}});
  if (!got) return Fail(got.error());
  if (got->size() != 2) return Fail("short reply to the shared snapshot read");
  const ReplyPtr& length = (*got)[0];
  const ReplyPtr& reply = (*got)[1];
  if (length->type == REDIS_REPLY_INTEGER && length->integer == 0) {
    return SharedRead{std::nullopt, false};  // no snapshot stored yet
  }
  if (length->type == REDIS_REPLY_INTEGER && length->integer > kMaxSharedBytes) {
    spdlog::debug("cache key {} holds {} bytes, more than a snapshot: replaced", key_,
                  length->integer);
    return SharedRead{};
  }
  if (reply->type == REDIS_REPLY_ERROR) {
    std::string_view text(reply->str, reply->len);
    if (IsRefusal(reply.get())) return Fail("redis refused: " + SanitizeText(text, 120));
    return SharedRead{std::nullopt, true};  // another type: maybe the application's data
  }
  if (reply->type != REDIS_REPLY_STRING)
    return SharedRead{std::nullopt, reply->type != REDIS_REPLY_NIL};
  auto snap = DeserializeSnapshot({reply->str, reply->len});
  if (!snap) {
    // A string that does not decode: a corrupt or older copy of ours. It is a miss,
    // and the next computation replaces it (only non-string types are left alone).
    spdlog::debug("cache key {} does not hold a usable snapshot: {}", key_, snap.error());
    return SharedRead{};
  }
  if (snap->fingerprint != source.fingerprint()) return SharedRead{};  // other queries
  if (!IsFresh(snap->computed_at, now, ttl_)) return SharedRead{};
  return SharedRead{std::move(*snap), false};
}

Result<AppSnapshot> SharedSnapshotProvider::Compute(const SnapshotSource& source, double now) {
  RedisClient* master = clients_.master.get();
  if (clients_.reader) {
    auto snap = source.Compute(clients_.reader.get(), clients_.table.get(), now);
    if (snap) return snap;
    spdlog::debug("snapshot on the read replica failed, using the master: {}", snap.error());
    return source.Compute(master, master, now);
  }
  return source.Compute(master, clients_.table.get(), now);
}

RefreshResult SharedSnapshotProvider::Refresh(double now) {
  std::shared_ptr<const SnapshotSource> source;
  {
    std::lock_guard<std::mutex> lk(source_mu_);
    source = source_;
  }
  RefreshResult result;
  auto shared = ReadShared(*source, now);
  if (!shared) {
    result.error = shared.error();
    return result;  // I/O failure, backoff pending, or refused: do not pile on.
  }
  if (shared->snapshot) {
    result.outcome = RefreshOutcome::kShared;
    result.snapshot = std::move(shared->snapshot);
    return result;
  }
  bool foreign = shared->foreign;
  if (foreign) {
    // Never overwrite what we did not write: the key may be the application's.
    if (!foreign_logged_) {
      spdlog::warn(
          "cache key {} holds a value observd did not write; computing without "
          "sharing (set cache.key to a free key name)",
          key_);
      foreign_logged_ = true;
    }
  } else {
    foreign_logged_ = false;
  }
  const std::string lock_ms = std::to_string(std::max<int64_t>(1000, ttl_.count() / 4));
  bool other_computing = false;
  if (!foreign) {
    auto lock = clients_.master->Run({"SET", lock_key_, "1", "NX", "PX", lock_ms});
    other_computing = lock && (*lock)->type == REDIS_REPLY_NIL;
  }
  if (other_computing) {
    // Another instance is computing: wait a little for its result.
    for (int i = 0; i < kLockPolls; ++i) {
      std::this_thread::sleep_for(kLockPoll);
      auto again = ReadShared(*source, now);
      if (!again) break;
      foreign = again->foreign;
      if (again->snapshot) {
        result.outcome = RefreshOutcome::kShared;
        result.snapshot = std::move(again->snapshot);
        return result;
      }
    }
  }
  auto snap = Compute(*source, now);
  if (!snap) {
    result.error = snap.error();
    return result;
  }
  const std::string ttl_s = std::to_string(std::max<int64_t>(1, (ttl_.count() + 999) / 1000));
  if (!foreign) {
    // Store, then release the compute lock so waiting instances read it at once.
    auto stored = clients_.master->Pipeline(
        {{"SET", key_, SerializeSnapshot(*snap), "EX", ttl_s}, {"DEL", lock_key_}});
    if (!stored) spdlog::debug("cannot store shared snapshot: {}", stored.error());
  }
  result.outcome = RefreshOutcome::kComputed;
  result.snapshot = std::move(*snap);
  return result;
}

// ---------------------------------------------------------------- cache

SnapshotCache::SnapshotCache(Options options, std::unique_ptr<SnapshotProvider> provider,
                             std::function<double()> now, Hooks hooks)
    : options_(options), provider_(std::move(provider)), now_(std::move(now)), hooks_(hooks) {}

SnapshotCache::~SnapshotCache() { Stop(); }

void SnapshotCache::Start() {
  thread_ = std::thread([this] { Run(); });
}

void SnapshotCache::Stop() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  done_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SnapshotCache::Run() {
  std::unique_lock<std::mutex> lk(mu_);
  while (true) {
    work_cv_.wait(lk, [&] { return stop_ || requested_; });
    if (stop_) return;
    requested_ = false;
    refreshing_ = true;
    const uint64_t epoch = epoch_;
    lk.unlock();
    auto started = std::chrono::steady_clock::now();
    RefreshResult result;
    try {
      result = provider_->Refresh(now_());
    } catch (const std::exception& e) {
      result.outcome = RefreshOutcome::kFailed;
      result.error = e.what();
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (hooks_.on_refresh) hooks_.on_refresh(result.outcome, seconds);
    lk.lock();
    refreshing_ = false;
    ++generation_;
    attempted_ = true;
    if (result.snapshot) {
      auto next = std::make_shared<VersionedSnapshot>();
      next->app = std::move(*result.snapshot);
      next->version = ++version_;
      current_ = std::move(next);
      // An Invalidate() during this refresh means it may have used the old queries.
      if (epoch == epoch_) invalid_ = false;
      if (!last_error_.empty()) spdlog::info("snapshot refresh recovered");
      last_error_.clear();
    } else {
      last_failure_ = now_();
      // Logged once when refreshes start failing, not once per attempt.
      if (last_error_.empty()) {
        spdlog::warn("snapshot refresh failed; serving the last snapshot: {}", result.error);
      } else if (result.error != last_error_) {
        spdlog::debug("snapshot refresh failed: {}", result.error);
      }
      last_error_ = result.error.empty() ? "failed" : result.error;
    }
    done_cv_.notify_all();
  }
}

void SnapshotCache::WaitForGeneration(std::unique_lock<std::mutex>& lk, uint64_t gen, Millis wait) {
  done_cv_.wait_for(lk, wait, [&] { return stop_ || generation_ > gen; });
}

std::shared_ptr<const VersionedSnapshot> SnapshotCache::Get() {
  std::unique_lock<std::mutex> lk(mu_);
  double now = now_();
  if (current_ && !invalid_ && IsFresh(current_->app.computed_at, now, options_.ttl)) {
    auto fresh = current_;
    lk.unlock();
    if (hooks_.on_hit) hooks_.on_hit();
    return fresh;
  }
  uint64_t gen = generation_;
  if (refreshing_ || requested_) {
    // Single-flight: join the refresh that is already running.
    if (hooks_.on_hit) hooks_.on_hit();
    WaitForGeneration(lk, gen, options_.max_wait);
    return current_;
  }
  if (hooks_.on_miss) hooks_.on_miss();
  if (now - last_failure_ < options_.retry_after_failure.count() / 1000.0) {
    return current_;  // Redis just failed: serve the last snapshot, marked stale by age.
  }
  requested_ = true;
  work_cv_.notify_one();
  WaitForGeneration(lk, gen, options_.max_wait);
  return current_;
}

std::shared_ptr<const VersionedSnapshot> SnapshotCache::Current() const {
  std::lock_guard<std::mutex> lk(mu_);
  return current_;
}

void SnapshotCache::Invalidate() {
  std::lock_guard<std::mutex> lk(mu_);
  invalid_ = true;
  ++epoch_;
}

void SnapshotCache::RefreshAndWait(Millis wait) {
  std::unique_lock<std::mutex> lk(mu_);
  uint64_t gen = generation_;
  requested_ = true;
  work_cv_.notify_one();
  WaitForGeneration(lk, gen, wait);
}

}  // namespace observd
