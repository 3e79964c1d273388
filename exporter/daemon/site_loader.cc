#include "daemon/site_loader.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <map>
#include <utility>
#include <vector>

#include "embedded/embedded_site.h"

namespace observd {
namespace {

constexpr std::string_view kTemplateSuffix = ".mustache";

std::unique_ptr<StaticFiles> EmbeddedFiles(std::string* error) {
  std::vector<StaticFiles::Static> files;
  for (const auto& f : EmbeddedSiteFiles()) {
    files.push_back({std::string(f.path), f.bytes, f.gzipped, f.fnv1a64});
  }
  if (files.empty()) {
    *error = "this build embeds no site (built without the front end)";
    return nullptr;
  }
  return StaticFiles::FromStatic(files, error);
}

std::unique_ptr<Templates> EmbeddedTemplates(std::string* error) {
  std::map<std::string, std::string> texts;
  for (const auto& f : EmbeddedTemplateFiles()) {
    std::string_view name = f.path;
    name.remove_suffix(kTemplateSuffix.size());
    texts.emplace(std::string(name), std::string(f.bytes));
  }
  for (const char* const* name = Templates::kRequired; *name; ++name) {
    if (!texts.contains(*name)) {
      *error = fmt::format("this build embeds no {}{} template", *name, kTemplateSuffix);
      return nullptr;
    }
  }
  return Templates::FromText(texts, error);
}

// Loads `what` from `dir` with `load`, or from `embedded` when `dir` is empty or broken.
template <typename T, typename DirLoader, typename EmbeddedLoader>
std::unique_ptr<T> LoadOne(const char* what, const std::string& dir, DirLoader load,
                           EmbeddedLoader embedded, std::string* source) {
  std::string problem;
  if (!dir.empty()) {
    if (auto loaded = load(dir, &problem)) {
      *source = dir;
      return loaded;
    }
    spdlog::error("{} override is broken, serving the embedded copy: {}", what, problem);
  }
  auto loaded = embedded(&problem);
  if (loaded) {
    *source = "embedded";
  } else {
    *source = "none";
    spdlog::warn("no {} to serve: {}", what, problem);
  }
  return loaded;
}

}  // namespace

SiteContent LoadSiteContent(const std::string& root, const std::string& templates_dir) {
  SiteContent c;
  c.files =
      LoadOne<StaticFiles>("web.root", root, StaticFiles::Load, EmbeddedFiles, &c.files_source);
  if (!c.files) c.files = StaticFiles::Empty();
  c.templates = LoadOne<Templates>("web.templates", templates_dir, Templates::Load,
                                   EmbeddedTemplates, &c.templates_source);
  return c;
}

std::string SiteContent::Describe() const {
  return fmt::format("site={} site_files={} site_kib={} templates={}", files_source,
                     files ? files->size() : 0, files ? files->total_bytes() / 1024 : 0,
                     templates_source);
}

std::string EmbeddedSiteSummary() {
  const auto site = EmbeddedSiteFiles();
  const auto templates = EmbeddedTemplateFiles();
  if (site.empty() && templates.empty()) {
    return "embedded site: none (built without the front end; pass --web.root and "
           "--web.templates)";
  }
  return fmt::format("embedded site: {} files, {} KiB; embedded templates: {}", site.size(),
                     EmbeddedBytes(site) / 1024, templates.size());
}

}  // namespace observd
