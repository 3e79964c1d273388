// The live site's request parameters, validated: the uploads table's view (limit,
// status, q, sort), an event stream's topics, and the history's `since`. Bad values
// give nullopt and an error for a 400. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "render/uploads_query.h"

namespace observd {

// `limit_name` is "limit" (partial, CSV) or "uploads_limit" (event stream).
std::optional<UploadsQuery> ParseUploadsQuery(const char* query, const std::string& limit_name,
                                              std::string* error);

// What one SSE stream sends (`?topics=stats,uploads,metrics,history`; all when absent).
struct EventTopics {
  bool stats = true, uploads = true, metrics = true, history = true;
  UploadsQuery uploads_query;
};
std::optional<EventTopics> ParseEventTopics(const char* query, std::string* error);

// `?since=<unix seconds>`: absent -> nullopt in *since, true; malformed -> false.
bool ParseSince(const char* query, std::optional<double>* since);

}  // namespace observd
