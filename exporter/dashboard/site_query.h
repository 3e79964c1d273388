// The live site's request parameters, validated: the uploads table's view (limit,
// status, q, sort), an event stream's topics (the panel table's, plus the charts'
// history), and the history's `since`. Bad values fail with the 400's text. Pure;
// thread-safe.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/time_window.h"
#include "render/uploads_query.h"
#include "util/result.h"

namespace observd {

// `limit_name` is "limit" (partial, CSV) or "uploads_limit" (event stream).
Result<UploadsQuery> ParseUploadsQuery(const char* query, const std::string& limit_name);

// The event-stream topic of the charts' history JSON (every other topic is a panel's).
inline constexpr std::string_view kHistoryTopic = "history";

// Every topic an event stream may carry: the panels' (dashboard/panels.h), then history.
std::vector<std::string> EventTopicNames();

// What one SSE stream sends (`?topics=stats,uploads,...`; every topic when absent).
struct EventTopics {
  std::set<std::string, std::less<>> topics;
  UploadsQuery uploads_query;
  bool has(std::string_view topic) const { return topics.find(topic) != topics.end(); }
};
Result<EventTopics> ParseEventTopics(const char* query);

// `?since=<unix seconds>`: absent -> nullopt; malformed -> fails.
// The chart window of ?from=&to= (unix seconds) at `now`: without `to`, now; without
// `from`, an hour before `to`; without either, the live hour, whose buckets are the
// kMinutes minutes ending with the current one. An error (for a 400) names what is wrong.
Result<TimeWindow> ParseWindow(const char* query, double now);
Result<std::optional<double>> ParseSince(const char* query);

}  // namespace observd
