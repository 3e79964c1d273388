// RenderCache keeps the last rendering of each partial (and its gzip) under a key
// that says what it was rendered from (snapshot version, Redis state, the second,
// parameters), so every viewer of the same second shares one rendering and one
// compression. Thread-safe: renders run outside the lock; the last writer wins.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace observd {

class RenderCache {
 public:
  struct Entry {
    std::shared_ptr<const std::string> bytes;
    std::shared_ptr<const std::string> gzip;  // null when the bytes are small
  };

  // At most this many slots are kept; a new slot beyond it starts the cache afresh.
  static constexpr size_t kMaxSlots = 64;

  RenderCache() = default;
  RenderCache(const RenderCache&) = delete;
  RenderCache& operator=(const RenderCache&) = delete;

  // The entry of `slot` rendered under `key`; calls `render` only when the stored
  // key differs (two threads may both render a new key; either result is correct).
  Entry Get(const std::string& slot, const std::string& key,
            const std::function<std::string()>& render);

  // Forgets everything (templates changed).
  void Clear();

 private:
  struct Stored {
    std::string key;
    Entry entry;
  };
  std::mutex mu_;
  std::map<std::string, Stored> slots_;
};

}  // namespace observd
