// SiteLoader decides where the static site and the mustache templates come from: the
// folders named by web.root / web.templates when set (operator overrides), else the
// copy compiled into the binary. A broken override is logged and the embedded copy
// serves instead. Called at start-up and on SIGHUP; no shared state, logs via spdlog.
#pragma once

#include <memory>
#include <string>

#include "http/static_files.h"
#include "render/templates.h"

namespace observd {

struct SiteContent {
  std::unique_ptr<StaticFiles> files;    // never null; empty when nothing could be loaded
  std::unique_ptr<Templates> templates;  // null when none could be loaded: partials answer 503
  std::string files_source;              // "embedded", the folder served, or "none"
  std::string templates_source;

  // "site=embedded site_files=11 site_kib=321 templates=embedded", for the log.
  std::string Describe() const;
};

// Loads the site from `root` and the templates from `templates_dir`; an empty string
// means the embedded copy. Never fails: problems are logged and fall back. What is
// served is not logged here (the daemon logs Describe() once it listens).
SiteContent LoadSiteContent(const std::string& root, const std::string& templates_dir);

// One line on what this binary embeds, e.g. "embedded site: 11 files, 330 KiB;
// embedded templates: 3", or that it embeds none (a build without the front end).
std::string EmbeddedSiteSummary();

}  // namespace observd
