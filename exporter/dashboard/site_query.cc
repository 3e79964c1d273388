#include "dashboard/site_query.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "dashboard/panels.h"
#include "http/query.h"
#include "model/minutes.h"
#include "util/field_list.h"

namespace observd {

Result<UploadsQuery> ParseUploadsQuery(const char* query, const std::string& limit_name) {
  auto limit = ParseLimit(query, limit_name, UploadsQuery::kDefaultLimit, UploadsQuery::kMaxLimit);
  auto params = ParseQuery(query ? query : "");
  if (!limit || !params) {
    return Fail(
        fmt::format("{} must be an integer from 1 to {}", limit_name, UploadsQuery::kMaxLimit));
  }
  return UploadsQuery::From(FindParam(*params, "status"), FindParam(*params, "q"),
                            FindParam(*params, "sort"), *limit);
}

std::vector<std::string> EventTopicNames() {
  std::vector<std::string> names;
  for (const Panel& p : Panels()) {
    if (!p.topic.empty()) names.emplace_back(p.topic);
  }
  names.emplace_back(kHistoryTopic);
  return names;
}

Result<EventTopics> ParseEventTopics(const char* query) {
  auto uploads = ParseUploadsQuery(query, "uploads_limit");
  if (!uploads) return Fail(uploads.error());
  auto params = ParseQuery(query ? query : "");
  if (!params) return Fail("malformed query string");
  const std::vector<std::string> known = EventTopicNames();
  EventTopics t;
  t.uploads_query = *uploads;
  auto topics = FindParam(*params, "topics");
  if (!topics) {
    t.topics.insert(known.begin(), known.end());
    return t;
  }
  const bool all_known = EveryCommaElement(*topics, [&](std::string_view name) {
    if (std::find(known.begin(), known.end(), name) == known.end()) return false;
    t.topics.emplace(name);
    return true;
  });
  if (!all_known) {
    return Fail(fmt::format("topics: a comma-separated list of {}", fmt::join(known, ", ")));
  }
  return t;
}

namespace {

Result<std::optional<double>> Seconds(
    const std::vector<std::pair<std::string, std::string>>& params, const char* name) {
  auto text = FindParam(params, name);
  if (!text) return std::optional<double>();
  char* end = nullptr;
  double v = std::strtod(text->c_str(), &end);
  if (text->empty() || *end || !std::isfinite(v) || v < 0) {
    return Fail(std::string(name) + " must be unix seconds");
  }
  return std::optional<double>(v);
}

}  // namespace

Result<TimeWindow> ParseWindow(const char* query, double now) {
  auto params = ParseQuery(query ? query : "");
  if (!params) return Fail("from and to must be unix seconds");
  auto from = Seconds(*params, "from");
  if (!from) return Fail(from.error());
  auto to = Seconds(*params, "to");
  if (!to) return Fail(to.error());
  const double end = to->value_or(now);
  auto w = MakeWindow(from->value_or(end - kDefaultWindowSeconds), end, now);
  if (w && !*from && !*to) {
    // The live hour: its buckets are the kMinutes minutes ending with the current one,
    // as the per-minute fields have always been (the 1 s samples cover the whole hour).
    w->first = w->last - (kMinutes - 1) * w->step;
  }
  return w;
}

Result<std::optional<double>> ParseSince(const char* query) {
  auto params = ParseQuery(query ? query : "");
  if (!params) return Fail("since must be unix seconds");
  auto text = FindParam(*params, "since");
  if (!text) return std::optional<double>();
  char* end = nullptr;
  double v = std::strtod(text->c_str(), &end);
  if (text->empty() || *end || !std::isfinite(v)) return Fail("since must be unix seconds");
  return std::optional<double>(v);
}

}  // namespace observd
