// HttpSettings is what the router applies to every request of a running site: Basic
// auth and the operator's extra headers. The site (dashboard/site.h) extends it with
// its own settings and is swapped whole on reload. Immutable once built; shared read-only.
#pragma once

#include <memory>

#include "http/basic_auth.h"
#include "http/response.h"

namespace observd {

struct HttpSettings {
  std::unique_ptr<BasicAuth> auth;  // null or empty: no authentication
  Headers extra_headers;

  bool auth_required() const { return auth && auth->enabled(); }
};

}  // namespace observd
