// BucketStore keeps the application's closed bucket counts (uploads and workflow runs
// per time bucket) across restarts; snapshot/AppSeries saves what it counted and loads
// before it counts. Data-only interface (the SQLite store implements it); callers call
// it from one thread at a time, implementations say their own thread-safety.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace observd {

struct BucketCount {
  int64_t t;
  int64_t count;
};

class BucketStore {
 public:
  virtual ~BucketStore() = default;
  // series: "uploads" or "runs:<status>"; fingerprint: the snapshot fingerprint (keys/config)
  // Saves replace a bucket's count; loads answer the saved buckets with from <= t < to
  // (AppSeries ignores any other t it gets, and counts >= 0 only).
  virtual void SaveBuckets(const std::string& fingerprint, const std::string& series, int64_t step,
                           const std::vector<BucketCount>& closed) = 0;
  virtual std::vector<BucketCount> LoadBuckets(const std::string& fingerprint,
                                               const std::string& series, int64_t step,
                                               int64_t from, int64_t to) = 0;
};

}  // namespace observd
