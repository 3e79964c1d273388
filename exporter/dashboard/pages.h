// The site's pages: one row per page, the assembled file below the site root and the
// URL it is served at. Static-file serving, the route table and the build's site
// manifest (read by tests/e2e/support/mock-observd.mjs) all read this list.
// Constant data; thread-safe.
#pragma once

#include <span>

#include "http/static_files.h"

namespace observd {

std::span<const PageFile> Pages();

}  // namespace observd
