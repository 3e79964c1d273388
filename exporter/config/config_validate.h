// FindConfigProblem is the one validation pass over a Config: ranges, cross-field
// rules, address forms and metric names. Shared by the YAML loader (config.cc, which
// adds file positions) and the flag overrides (flags.cc). Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "config/config.h"

namespace observd {

// A problem with the field it is about (e.g. "web.num_threads") and, for cross-field
// rules, the other field involved, so errors can point at whichever the file set.
struct ConfigProblem {
  std::string field;
  std::string message;
  std::string other_field = "";
};

std::optional<ConfigProblem> FindConfigProblem(const Config& config);

}  // namespace observd
