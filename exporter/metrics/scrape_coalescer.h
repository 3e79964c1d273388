// ScrapeCoalescer lets concurrent /metrics requests share one serialization without
// ever serving a stale one: a request reuses only a serialization that started after
// it arrived, so sequential scrapes always see every earlier update, while a burst of
// concurrent scrapes costs about one serialization per batch. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace observd {

class ScrapeCoalescer {
 public:
  // `render` fills its argument with the current text; called by one thread at a time.
  explicit ScrapeCoalescer(std::function<void(std::string*)> render);
  ScrapeCoalescer(const ScrapeCoalescer&) = delete;
  ScrapeCoalescer& operator=(const ScrapeCoalescer&) = delete;

  struct Result {
    std::shared_ptr<const std::string> text;
    std::shared_ptr<const std::string> gzip;  // built on first demand, shared too
  };

  // Returns text rendered after this call began. `want_gzip` also returns its gzip.
  Result Get(bool want_gzip);

  uint64_t renders() const;  // for tests

 private:
  const std::function<void(std::string*)> render_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool running_ = false;
  uint64_t started_ = 0;   // renders started
  uint64_t finished_ = 0;  // renders finished; result_ is from render number finished_
  Result result_;
};

}  // namespace observd
