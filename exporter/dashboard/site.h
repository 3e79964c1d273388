// Site is the HTTP layer's share of the running configuration: templates, static
// files, authentication, extra headers and the event-stream policy. It is immutable
// once built; a reload builds a new one and swaps it whole through SiteHolder.
// SiteHolder is thread-safe; a Site is shared read-only.
#pragma once

#include <memory>
#include <mutex>

#include "config/config.h"
#include "http/basic_auth.h"
#include "http/response.h"
#include "http/static_files.h"
#include "render/partials.h"
#include "render/templates.h"

namespace observd {

struct Site {
  std::unique_ptr<Templates> templates;  // null: partial routes answer 503
  std::unique_ptr<StaticFiles> files;    // never null (possibly empty)
  std::string source;                    // where files and templates come from, for logs
  std::unique_ptr<BasicAuth> auth;       // null or empty: no authentication
  Headers extra_headers;
  int max_sse_streams = 32;
  Millis sse_interval{5000};
  Millis sse_max_duration{300000};
  CardThresholds thresholds;  // severity colours of the stats cards

  bool auth_required() const { return auth && auth->enabled(); }
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
