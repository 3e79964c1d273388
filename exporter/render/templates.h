// Templates owns the mustache partials loaded from the templates folder at start-up
// and on SIGHUP, plus the shared pieces they include with {{> name}} (kIncludes).
// Rendering escapes every {{value}} for HTML. Thread-safe: a loaded set is immutable;
// kainjow's render mutates internal state, so each render holds the template's mutex.
#pragma once

#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace observd {

class Templates {
 public:
  // Loads every required template from `dir`. On failure returns nullptr with
  // `*error` naming the file and the problem.
  static std::unique_ptr<Templates> Load(const std::string& dir, std::string* error);
  // Same, from in-memory text (tests, fuzzing).
  static std::unique_ptr<Templates> FromText(const std::map<std::string, std::string>& texts,
                                             std::string* error);

  // Renders template `name` with `data`; "" when no such template.
  std::string Render(const std::string& name, const kainjow::mustache::data& data) const;

  static const char* const kRequired[];
  // Templates only ever included by others ({{> banner}}), never rendered alone.
  static const char* const kIncludes[];

 private:
  struct Entry {
    std::unique_ptr<kainjow::mustache::mustache> tmpl;
    std::unique_ptr<std::mutex> mu;
  };
  std::map<std::string, Entry> entries_;
  kainjow::mustache::data includes_{kainjow::mustache::data::type::object};
};

}  // namespace observd
