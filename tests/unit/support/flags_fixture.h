// Flag-parsing helper shared by the tests of config/flags.h: ParseFlags over an argument
// list, as main() hands it. Header-only; thread-compatible.
#pragma once

#include <vector>

#include "config/flags.h"

namespace observd::flags_test {

// ParseFlags on `args` after the program name "observd".
inline Result<Flags> Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "observd");
  return ParseFlags(static_cast<int>(args.size()), args.data());
}

}  // namespace observd::flags_test
