#include "metrics/scrape_coalescer.h"

#include "util/gzip.h"

namespace observd {

ScrapeCoalescer::ScrapeCoalescer(std::function<void(std::string*)> render)
    : render_(std::move(render)) {}

uint64_t ScrapeCoalescer::renders() const {
  std::lock_guard<std::mutex> lk(mu_);
  return finished_;
}

ScrapeCoalescer::Result ScrapeCoalescer::Get(bool want_gzip) {
  std::unique_lock<std::mutex> lk(mu_);
  // The first render that starts from now on reflects everything before this call.
  const uint64_t target = started_ + 1;
  while (finished_ < target) {
    if (running_) {
      cv_.wait(lk);
      continue;
    }
    running_ = true;
    ++started_;
    lk.unlock();
    auto text = std::make_shared<std::string>();
    try {
      render_(text.get());
    } catch (...) {
      lk.lock();
      running_ = false;
      ++finished_;
      cv_.notify_all();
      throw;
    }
    lk.lock();
    running_ = false;
    ++finished_;
    result_ = {std::move(text), nullptr};
    cv_.notify_all();
  }
  Result r = result_;
  if (want_gzip && !r.gzip && r.text) {
    // Compressed once per render; level 1: a scrape is CPU, not bandwidth, bound.
    lk.unlock();
    auto gz = std::make_shared<const std::string>(GzipCompress(*r.text, 1));
    lk.lock();
    if (result_.text == r.text && !result_.gzip) result_.gzip = gz;
    r.gzip = gz;
  }
  return r;
}

}  // namespace observd
