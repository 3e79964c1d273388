// Templates owns the mustache partials loaded from the templates folder at start-up
// and on SIGHUP, plus the shared pieces they include with {{> name}} (kIncludes). Which
// templates a set needs is the caller's (the site's panel table, dashboard/panels.h).
// Rendering escapes every {{value}} for HTML. Thread-safe: a loaded set is immutable;
// kainjow's render mutates internal state, so each render holds the template's lock
// (kept in templates.cc: render/'s headers see no threads).
#pragma once

#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "util/result.h"

namespace observd {

class Templates {
 public:
  // Loads `<dir>/<name>.mustache` for every name in `names`. Fails naming the file
  // and the problem.
  static Result<std::unique_ptr<Templates>> Load(const std::string& dir,
                                                 const std::vector<std::string>& names);
  // From in-memory text (name -> text). Fails naming the template and the problem.
  static Result<std::unique_ptr<Templates>> FromText(
      const std::map<std::string, std::string>& texts);

  ~Templates();

  // Renders template `name` with `data`; "" when no such template (the build checks that
  // every template the panel table names exists: dashboard/site_manifest_tool.cc).
  std::string Render(const std::string& name, const kainjow::mustache::data& data) const;

  // Templates only ever included by others ({{> banner}}), never rendered alone.
  static const char* const kIncludes[];

 private:
  Templates() = default;
  struct Entry;  // a template and its lock (templates.cc)
  std::map<std::string, std::unique_ptr<Entry>> entries_;
  kainjow::mustache::data includes_{kainjow::mustache::data::type::object};
};

}  // namespace observd
