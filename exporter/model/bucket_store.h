// BucketStore keeps the application series' closed buckets (counts per time bucket of
// a sorted set) across refreshes and restarts, so each is counted from Redis once.
// snapshot/ computes the buckets; store/ persists them. An interface; implementations
// state their own thread-safety.
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
  virtual void SaveBuckets(const std::string& fingerprint, const std::string& series, int64_t step,
                           const std::vector<BucketCount>& closed) = 0;
  virtual std::vector<BucketCount> LoadBuckets(const std::string& fingerprint,
                                               const std::string& series, int64_t step,
                                               int64_t from, int64_t to) = 0;
};

}  // namespace observd
