#include "snapshot/latency_sampler.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "snapshot/app_snapshot.h"
#include "util/clock.h"

namespace observd {

LatencySampler::LatencySampler(std::unique_ptr<RedisClient> client, History* history,
                               Millis interval, std::function<double()> now,
                               std::function<void(bool, double)> on_sample)
    : client_(std::move(client)),
      history_(history),
      interval_(interval),
      now_(std::move(now)),
      on_sample_(std::move(on_sample)) {
  last_tick_ = SteadySeconds();
}

LatencySampler::~LatencySampler() { Stop(); }

void LatencySampler::Start() {
  thread_ = std::thread([this] { Run(); });
}

void LatencySampler::Stop() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool LatencySampler::WaitFirstSample(Millis wait) {
  std::unique_lock<std::mutex> lk(mu_);
  return cv_.wait_for(lk, wait, [&] { return sampled_.load() || stop_; }) && sampled_.load();
}

void LatencySampler::Run() {
  auto next = std::chrono::steady_clock::now();
  while (true) {
    auto t0 = std::chrono::steady_clock::now();
    auto result = client_->Run({"PING"});
    const ReplyPtr reply = result ? std::move(*result) : nullptr;
    bool ok = reply && reply->type == REDIS_REPLY_STATUS;
    if (!ok && reply && reply->type == REDIS_REPLY_ERROR) {
      // Connected but refused (NOAUTH, LOADING, ...): say so once per state change.
      std::string text = SanitizeText({reply->str, reply->len}, 120);
      if (text != refused_) spdlog::warn("redis refused PING: {}", text);
      refused_ = text;
    } else if (ok) {
      refused_.clear();
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    up_ = ok;
    LatencySample sample{now_(), std::nullopt};
    if (ok) sample.ms = seconds * 1000.0;
    history_->AddLatency(sample);
    if (on_sample_) on_sample_(ok, ok ? seconds : 0.0);
    last_tick_ = SteadySeconds();
    if (!sampled_.load()) {
      {
        std::lock_guard<std::mutex> lk(mu_);
        sampled_ = true;
      }
      cv_.notify_all();
    }
    next += interval_;
    auto now = std::chrono::steady_clock::now();
    if (next < now) next = now;  // never try to catch up after a slow PING.
    std::unique_lock<std::mutex> lk(mu_);
    if (cv_.wait_until(lk, next, [&] { return stop_; })) return;
  }
}

}  // namespace observd
