#include "http/route_table.h"

namespace observd {

const Route* RouteTable::Find(std::string_view path, size_t* index) const {
  for (size_t i = 0; i < routes_.size(); ++i) {
    const Route& r = routes_[i];
    if (r.match == Route::Match::kExact ? path == r.path : path.starts_with(r.path)) {
      *index = i;
      return &r;
    }
  }
  return nullptr;
}

std::vector<std::string> RouteTable::Labels() const {
  std::vector<std::string> labels;
  for (const auto& r : routes_) labels.push_back(r.label);
  return labels;
}

}  // namespace observd
