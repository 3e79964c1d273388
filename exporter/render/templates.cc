#include "render/templates.h"

#include <fstream>
#include <sstream>

namespace observd {

const char* const Templates::kRequired[] = {"stats", "recent_uploads", "metrics_text", "banner",
                                            nullptr};
const char* const Templates::kIncludes[] = {"banner", nullptr};

std::unique_ptr<Templates> Templates::FromText(const std::map<std::string, std::string>& texts,
                                               std::string* error) {
  auto t = std::unique_ptr<Templates>(new Templates());
  for (const auto& [name, text] : texts) {
    auto m = std::make_unique<kainjow::mustache::mustache>(text);
    if (!m->is_valid()) {
      *error = name + ".mustache: " + m->error_message();
      return nullptr;
    }
    t->entries_[name] = Entry{std::move(m), std::make_unique<std::mutex>()};
  }
  // kainjow looks {{> name}} up in the render context: the includes sit below the data.
  for (const char* const* name = kIncludes; *name; ++name) {
    auto it = texts.find(*name);
    if (it != texts.end()) t->includes_.set(*name, it->second);
  }
  return t;
}

std::unique_ptr<Templates> Templates::Load(const std::string& dir, std::string* error) {
  std::map<std::string, std::string> texts;
  for (const char* const* name = kRequired; *name; ++name) {
    std::string path = dir + "/" + *name + ".mustache";
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      *error = path + ": cannot read template";
      return nullptr;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    texts[*name] = ss.str();
  }
  auto t = FromText(texts, error);
  if (!t) *error = dir + "/" + *error;
  return t;
}

std::string Templates::Render(const std::string& name, const kainjow::mustache::data& data) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) return "";
  kainjow::mustache::context<std::string> ctx(&includes_);
  ctx.push(&data);
  std::lock_guard<std::mutex> lk(*it->second.mu);
  return it->second.tmpl->render(ctx);
}

}  // namespace observd
