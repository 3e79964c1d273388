#include "render/uploads_query.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace observd {
namespace {

constexpr std::array<const char*, 6> kSorts = {"time", "-time", "size", "-size", "name", "-name"};

template <size_t N>
bool OneOf(const std::string& v, const std::array<const char*, N>& allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return v == a; });
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Unknown values sort last whatever the direction.
template <typename T>
bool Before(const std::optional<T>& a, const std::optional<T>& b, bool desc) {
  if (!a || !b) return a.has_value() && !b.has_value();
  return desc ? *a > *b : *a < *b;
}

}  // namespace

Result<UploadsQuery> UploadsQuery::From(const std::optional<std::string>& status,
                                        const std::optional<std::string>& search,
                                        const std::optional<std::string>& sort, int limit) {
  UploadsQuery q;
  q.limit = limit;
  if (status && !status->empty()) q.status = *status;
  if (sort && !sort->empty()) q.sort = *sort;
  if (search) q.search = *search;
  if (q.status != "all" && !IsKnownUploadStatus(q.status)) {
    std::string known = "all";
    for (std::string_view s : kUploadStatuses) (known += ", ") += s;
    return Fail("status must be one of " + known);
  }
  if (!OneOf(q.sort, kSorts))
    return Fail("sort must be one of time, -time, size, -size, name, -name");
  if (q.search.size() > kMaxSearch) return Fail("q must be at most 100 bytes");
  return q;
}

UploadsResult ApplyUploadsQuery(const std::vector<Upload>& uploads, const UploadsQuery& q) {
  UploadsResult r;
  const std::string needle = Lower(q.search);
  for (const auto& u : uploads) {
    if (q.status != "all" && u.status != q.status) continue;
    if (!needle.empty() && Lower(u.filename).find(needle) == std::string::npos) continue;
    r.rows.push_back(&u);
  }
  const bool desc = q.sort[0] == '-';
  const std::string key = desc ? q.sort.substr(1) : q.sort;
  std::stable_sort(r.rows.begin(), r.rows.end(), [&](const Upload* a, const Upload* b) {
    if (key == "size") return Before(a->size, b->size, desc);
    if (key == "name") {
      return desc ? Lower(a->filename) > Lower(b->filename)
                  : Lower(a->filename) < Lower(b->filename);
    }
    return Before(a->created_at, b->created_at, desc);
  });
  r.matching = r.rows.size();
  if (r.rows.size() > static_cast<size_t>(q.limit)) r.rows.resize(q.limit);
  return r;
}

}  // namespace observd
