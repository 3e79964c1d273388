#include "dashboard/render_cache.h"

#include "util/gzip.h"

namespace observd {
RenderCache::Entry RenderCache::Get(const std::string& slot, const std::string& key,
                                    const std::function<std::string()>& render) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    auto it = slots_.find(slot);
    if (it != slots_.end() && it->second.key == key) return it->second.entry;
  }
  Entry entry{std::make_shared<const std::string>(render()), nullptr};
  if (entry.bytes->size() >= kGzipMinBytes) {
    // Compressed once per rendering, not once per viewer.
    std::string gz = GzipCompress(*entry.bytes);
    if (!gz.empty()) entry.gzip = std::make_shared<const std::string>(std::move(gz));
  }
  std::lock_guard<std::mutex> lk(mu_);
  // Slots can be named by viewers (an uploads search): keep their number bounded.
  if (slots_.size() >= kMaxSlots && !slots_.count(slot)) slots_.clear();
  slots_[slot] = {key, entry};
  return entry;
}

void RenderCache::Clear() {
  std::lock_guard<std::mutex> lk(mu_);
  slots_.clear();
}

}  // namespace observd
