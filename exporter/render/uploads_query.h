// UploadsQuery is the uploads table's filter, search, sort and row limit, validated from
// request parameters and applied to the snapshot's recent uploads (bounded: only the
// uploads the snapshot keeps, never Redis). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/app_snapshot.h"
#include "util/result.h"

namespace observd {

struct UploadsQuery {
  static constexpr int kDefaultLimit = 10;
  static constexpr int kMaxLimit = 100;
  static constexpr size_t kMaxSearch = 100;  // bytes

  int limit = kDefaultLimit;
  std::string status = "all";  // all | stored | processing | failed
  std::string search;          // case-insensitive substring of the filename
  std::string sort = "-time";  // time | -time | size | -size | name | -name

  // From raw parameter values (nullopt = absent). Fails on a bad value, saying why.
  static Result<UploadsQuery> From(const std::optional<std::string>& status,
                                   const std::optional<std::string>& search,
                                   const std::optional<std::string>& sort, int limit);
  bool filtered() const { return status != "all" || !search.empty(); }
};

struct UploadsResult {
  std::vector<const Upload*> rows;  // at most limit, in the requested order
  size_t matching = 0;              // before the limit
};

UploadsResult ApplyUploadsQuery(const std::vector<Upload>& uploads, const UploadsQuery& q);

}  // namespace observd
