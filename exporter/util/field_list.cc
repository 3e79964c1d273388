#include "util/field_list.h"

namespace observd {

std::string_view TrimOws(std::string_view s) {
  constexpr std::string_view kOws = " \t";
  const size_t begin = s.find_first_not_of(kOws);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kOws) - begin + 1);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace observd
