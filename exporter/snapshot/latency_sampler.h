// LatencySampler PINGs Redis every interval on its own connection, records the
// round trip in History and publishes up/latency through a callback. It also is the
// daemon's liveness heartbeat: last_tick() feeds the systemd watchdog. Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "config/config.h"
#include "redis/redis_client.h"
#include "snapshot/history.h"

namespace observd {

class LatencySampler {
 public:
  // `on_sample(up, seconds)` is called after each PING (seconds is 0 when down).
  LatencySampler(std::unique_ptr<RedisClient> client, History* history, Millis interval,
                 std::function<double()> now, std::function<void(bool, double)> on_sample);
  ~LatencySampler();
  LatencySampler(const LatencySampler&) = delete;
  LatencySampler& operator=(const LatencySampler&) = delete;

  void Start();
  void Stop();  // idempotent

  // Steady-clock seconds of the last completed loop iteration.
  double last_tick() const { return last_tick_.load(); }
  bool up() const { return up_.load(); }
  // True once the first PING has answered or failed.
  bool sampled() const { return sampled_.load(); }
  // Waits up to `wait` for the first sample; returns sampled().
  bool WaitFirstSample(Millis wait);

 private:
  void Run();

  const std::unique_ptr<RedisClient> client_;
  History* const history_;
  const Millis interval_;
  const std::function<double()> now_;
  const std::function<void(bool, double)> on_sample_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<double> last_tick_{0};
  std::atomic<bool> up_{false};
  std::atomic<bool> sampled_{false};
  std::string refused_;  // sampler thread only: last refusal logged
  std::thread thread_;
};

}  // namespace observd
