// ScrapeCoalescer lets concurrent /metrics requests share one serialization without
// ever serving a stale one: a request reuses only a serialization that started after
// it arrived, so sequential scrapes always see every earlier update, while a burst of
// concurrent scrapes costs about one serialization per batch. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
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
  // When that render throws, every request that shared it gets the exception.
  Result Get(bool want_gzip);

  uint64_t renders() const;  // for tests

 private:
  // One render and the requests that share it. Its leader renders; the others wait on
  // `done` (a futex, not the mutex) and then read the immutable result without a lock.
  struct Batch {
    std::atomic<uint32_t> done{0};
    std::shared_ptr<const std::string> text;
    std::exception_ptr error;
    std::once_flag gzip_once;
    std::shared_ptr<const std::string> gzip;
  };

  void Render(Batch* batch);

  const std::function<void(std::string*)> render_;
  mutable std::mutex mu_;
  std::shared_ptr<Batch> running_;  // the render in progress, if any
  std::shared_ptr<Batch> next_;     // not started yet: what arrivals join until it starts
  std::atomic<uint64_t> renders_{0};
};

}  // namespace observd
