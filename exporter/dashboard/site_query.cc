#include "http/site_query.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "http/query.h"

namespace observd {

std::optional<UploadsQuery> ParseUploadsQuery(const char* query, const std::string& limit_name,
                                              std::string* error) {
  auto limit = ParseLimit(query, limit_name, UploadsQuery::kDefaultLimit, UploadsQuery::kMaxLimit);
  auto params = ParseQuery(query ? query : "");
  if (!limit || !params) {
    *error = fmt::format("{} must be an integer from 1 to {}", limit_name, UploadsQuery::kMaxLimit);
    return std::nullopt;
  }
  return UploadsQuery::From(FindParam(*params, "status"), FindParam(*params, "q"),
                            FindParam(*params, "sort"), *limit, error);
}

std::optional<EventTopics> ParseEventTopics(const char* query, std::string* error) {
  auto uploads = ParseUploadsQuery(query, "uploads_limit", error);
  auto params = ParseQuery(query ? query : "");
  if (!uploads || !params) return std::nullopt;
  EventTopics t;
  t.uploads_query = *uploads;
  auto topics = FindParam(*params, "topics");
  if (!topics) return t;
  t.stats = t.uploads = t.metrics = t.history = false;
  size_t pos = 0;
  while (pos <= topics->size()) {
    size_t end = topics->find(',', pos);
    if (end == std::string::npos) end = topics->size();
    std::string name = topics->substr(pos, end - pos);
    bool* flag = name == "stats"     ? &t.stats
                 : name == "uploads" ? &t.uploads
                 : name == "metrics" ? &t.metrics
                 : name == "history" ? &t.history
                                     : nullptr;
    if (!flag) {
      *error = "topics: a comma-separated list of stats, uploads, metrics, history";
      return std::nullopt;
    }
    *flag = true;
    pos = end + 1;
  }
  return t;
}

bool ParseSince(const char* query, std::optional<double>* since) {
  auto params = ParseQuery(query ? query : "");
  if (!params) return false;
  auto text = FindParam(*params, "since");
  if (!text) return true;
  char* end = nullptr;
  double v = std::strtod(text->c_str(), &end);
  if (text->empty() || *end || !std::isfinite(v)) return false;
  *since = v;
  return true;
}

}  // namespace observd
