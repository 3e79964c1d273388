#include "render/templates.h"

#include <mutex>

#include "util/file.h"

namespace observd {
namespace {

// A template larger than this is a mistake (the shipped ones are a few KiB).
constexpr size_t kMaxTemplateBytes = 1 << 20;

}  // namespace

const char* const Templates::kIncludes[] = {"banner", nullptr};

struct Templates::Entry {
  std::unique_ptr<kainjow::mustache::mustache> tmpl;
  std::mutex mu;
};

Templates::~Templates() = default;

Result<std::unique_ptr<Templates>> Templates::FromText(
    const std::map<std::string, std::string>& texts) {
  auto t = std::unique_ptr<Templates>(new Templates());
  for (const auto& [name, text] : texts) {
    auto m = std::make_unique<kainjow::mustache::mustache>(text);
    if (!m->is_valid()) return Fail(name + ".mustache: " + m->error_message());
    auto entry = std::make_unique<Entry>();
    entry->tmpl = std::move(m);
    t->entries_[name] = std::move(entry);
  }
  // kainjow looks {{> name}} up in the render context: the includes sit below the data.
  for (const char* const* name = kIncludes; *name; ++name) {
    auto it = texts.find(*name);
    if (it != texts.end()) t->includes_.set(*name, it->second);
  }
  return t;
}

Result<std::unique_ptr<Templates>> Templates::Load(const std::string& dir,
                                                   const std::vector<std::string>& names) {
  std::map<std::string, std::string> texts;
  for (const std::string& name : names) {
    std::string path = dir + "/" + name + ".mustache";
    Result<std::string> text = ReadFile(path, kMaxTemplateBytes);
    if (!text) return Fail(path + ": cannot read template: " + text.error());
    texts[name] = std::move(*text);
  }
  auto t = FromText(texts);
  if (!t) return Fail(dir + "/" + t.error());
  return t;
}

std::string Templates::Render(const std::string& name, const kainjow::mustache::data& data) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) return "";
  kainjow::mustache::context<std::string> ctx(&includes_);
  ctx.push(&data);
  std::lock_guard<std::mutex> lk(it->second->mu);
  return it->second->tmpl->render(ctx);
}

}  // namespace observd
