// Site is the live site's share of the running configuration (defaults: WebConfig's):
// templates, static files, the router's HttpSettings, the event-stream policy and the
// cards' thresholds. Immutable once built; a reload swaps a new one in whole through
// SiteHolder, which is thread-safe; a Site is shared read-only.
#pragma once

#include <memory>
#include <mutex>

#include "config/config.h"
#include "http/http_settings.h"
#include "http/static_files.h"
#include "render/partials.h"
#include "render/templates.h"

namespace observd {

// The auth and extra headers the router applies come from HttpSettings.
struct Site : HttpSettings {
  std::unique_ptr<Templates> templates;  // null: partial routes answer 503
  std::unique_ptr<StaticFiles> files;    // never null (possibly empty)
  std::string source;                    // where files and templates come from, for logs
  int max_sse_streams = WebConfig{}.max_sse_streams;
  Millis sse_interval = WebConfig{}.sse_interval;
  Millis sse_max_duration = WebConfig{}.sse_max_duration;
  CardThresholds thresholds = CardThresholdsOf(WebConfig{});  // the stats cards' colours
};

class SiteHolder {
 public:
  explicit SiteHolder(std::shared_ptr<const Site> site) : site_(std::move(site)) {}
  SiteHolder(const SiteHolder&) = delete;
  SiteHolder& operator=(const SiteHolder&) = delete;

  std::shared_ptr<const Site> Get() const {
    std::lock_guard<std::mutex> lk(mu_);
    return site_;
  }
  void Set(std::shared_ptr<const Site> site) {
    std::lock_guard<std::mutex> lk(mu_);
    site_ = std::move(site);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const Site> site_;
};

}  // namespace observd
