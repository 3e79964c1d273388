#include "daemon/site_loader.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <map>
#include <utility>
#include <vector>

#include "dashboard/pages.h"
#include "dashboard/panels.h"
#include "embedded/embedded_site.h"

namespace observd {
namespace {

constexpr std::string_view kTemplateSuffix = ".mustache";

Result<std::unique_ptr<StaticFiles>> EmbeddedFiles() {
  std::vector<StaticFiles::Static> files;
  for (const auto& f : EmbeddedSiteFiles()) {
    files.push_back({std::string(f.path), f.bytes, f.gzipped, f.fnv1a64});
  }
  if (files.empty()) return Fail("this build embeds no site (built without the front end)");
  return StaticFiles::FromStatic(files, Pages());
}

Result<std::unique_ptr<StaticFiles>> DirFiles(const std::string& root) {
  return StaticFiles::Load(root, Pages());
}

Result<std::unique_ptr<Templates>> EmbeddedTemplates() {
  std::map<std::string, std::string> texts;
  for (const auto& f : EmbeddedTemplateFiles()) {
    std::string_view name = f.path;
    name.remove_suffix(kTemplateSuffix.size());
    texts.emplace(std::string(name), std::string(f.bytes));
  }
  for (const std::string& name : RequiredTemplates()) {
    if (!texts.contains(name)) {
      return Fail(fmt::format("this build embeds no {}{} template", name, kTemplateSuffix));
    }
  }
  return Templates::FromText(texts);
}

Result<std::unique_ptr<Templates>> DirTemplates(const std::string& dir) {
  return Templates::Load(dir, RequiredTemplates());
}

// Loads `what` from `dir` with `load`, or from `embedded` when `dir` is empty or broken.
template <typename T, typename DirLoader, typename EmbeddedLoader>
std::unique_ptr<T> LoadOne(const char* what, const std::string& dir, DirLoader load,
                           EmbeddedLoader embedded, std::string* source) {
  if (!dir.empty()) {
    auto loaded = load(dir);
    if (loaded) {
      *source = dir;
      return std::move(*loaded);
    }
    spdlog::error("{} override is broken, serving the embedded copy: {}", what, loaded.error());
  }
  auto loaded = embedded();
  if (loaded) {
    *source = "embedded";
    return std::move(*loaded);
  }
  *source = "none";
  spdlog::warn("no {} to serve: {}", what, loaded.error());
  return nullptr;
}

}  // namespace

SiteContent LoadSiteContent(const std::string& root, const std::string& templates_dir) {
  SiteContent c;
  c.files = LoadOne<StaticFiles>("web.root", root, DirFiles, EmbeddedFiles, &c.files_source);
  if (!c.files) c.files = StaticFiles::Empty();
  c.templates = LoadOne<Templates>("web.templates", templates_dir, DirTemplates, EmbeddedTemplates,
                                   &c.templates_source);
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
