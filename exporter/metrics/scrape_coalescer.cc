#include "metrics/scrape_coalescer.h"

#include "util/gzip.h"

namespace observd {

ScrapeCoalescer::ScrapeCoalescer(std::function<void(std::string*)> render)
    : render_(std::move(render)) {}

uint64_t ScrapeCoalescer::renders() const { return renders_.load(); }

void ScrapeCoalescer::Render(Batch* batch) {
  try {
    auto text = std::make_shared<std::string>();
    render_(text.get());
    batch->text = std::move(text);
  } catch (...) {
    batch->error = std::current_exception();
  }
  renders_.fetch_add(1);
  {
    std::lock_guard<std::mutex> lk(mu_);
    running_ = nullptr;  // a waiting leader of next_ takes its place
  }
  batch->done.store(1, std::memory_order_release);
  batch->done.notify_all();
}

ScrapeCoalescer::Result ScrapeCoalescer::Get(bool want_gzip) {
  std::shared_ptr<Batch> mine;
  std::shared_ptr<Batch> before;  // the render this batch's leader must wait out
  bool lead = false;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (next_) {
      mine = next_;  // not started yet, so it reflects everything before this call
    } else if (running_) {
      // Started before this call: lead the next render, after it.
      next_ = mine = std::make_shared<Batch>();
      before = running_;
      lead = true;
    } else {
      running_ = mine = std::make_shared<Batch>();
      lead = true;
    }
  }
  if (lead) {
    if (before) {
      before->done.wait(0, std::memory_order_acquire);
      std::lock_guard<std::mutex> lk(mu_);
      running_ = mine;  // started now: later arrivals make a new next_
      next_ = nullptr;
    }
    Render(mine.get());
  } else {
    mine->done.wait(0, std::memory_order_acquire);
  }
  if (mine->error) std::rethrow_exception(mine->error);
  Result r{mine->text, nullptr};
  if (want_gzip && r.text) {
    // Compressed once per render, by the first request that asks; level 1: a scrape is
    // CPU, not bandwidth, bound.
    std::call_once(mine->gzip_once, [&] {
      mine->gzip = std::make_shared<const std::string>(GzipCompress(*r.text, 1));
    });
    r.gzip = mine->gzip;
  }
  return r;
}

}  // namespace observd
