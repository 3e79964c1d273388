// AppSnapshot is one consistent reading of the application's Redis data, plus its
// JSON form stored under the shared cache key. Values Redis did not give (missing
// keys are 0; wrong types, garbage) are std::nullopt and render as "—".
// Plain data: thread-compatible; published as shared_ptr<const AppSnapshot>.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace observd {

using MaybeInt = std::optional<int64_t>;

struct Upload {
  std::string id;
  std::string filename;  // sanitized: valid UTF-8, no control bytes, bounded length.
  std::string user;
  std::string content_type;
  std::string status;
  MaybeInt size;                     // bytes; nullopt when missing, negative or garbage.
  std::optional<double> created_at;  // unix seconds; falls back to the timeline score.
  // Why this row's fields are unknown, when observd chose not to read them (a record
  // over the size bound); "" for a row read normally. Shown in the row.
  std::string note{};  // (a default initializer: rows built from brace lists may omit it)
  bool operator==(const Upload&) const = default;
};

struct RunWindows {
  MaybeInt last_1h;
  MaybeInt last_24h;
  bool operator==(const RunWindows&) const = default;
};

struct QueryValue {
  std::string name;
  std::map<std::string, std::string> labels;
  std::optional<double> value;
  bool operator==(const QueryValue&) const = default;
};

struct AppSnapshot {
  static constexpr int kMinutes = 60;

  double computed_at = 0;   // unix seconds, when the queries ran.
  std::string producer;     // instance that computed it (host:pid).
  std::string fingerprint;  // of the keys and queries it was computed with.
  MaybeInt uploads_total;
  MaybeInt uploads_1h;
  MaybeInt uploads_24h;
  MaybeInt active_users;
  std::map<std::string, RunWindows> workflow_runs;  // status -> windows.
  double minutes_start = 0;                         // unix seconds of the first per-minute bucket.
  std::vector<MaybeInt> uploads_per_minute;         // kMinutes, oldest first.
  std::map<std::string, std::vector<MaybeInt>> runs_per_minute;  // status -> kMinutes.
  std::vector<Upload> recent;                                    // newest first.
  // Why `recent` could not be read this time ("" when it was): the counts above are
  // read separately and stay valid.
  std::string recent_error;
  int64_t skipped_records = 0;  // rows of `recent` over the size bound (their note says so)
  std::vector<QueryValue> queries;

  bool operator==(const AppSnapshot&) const = default;
};

// Serializes to compact JSON tagged with a format version.
std::string SerializeSnapshot(const AppSnapshot& snapshot);

// Parses what SerializeSnapshot wrote. Anything else (foreign JSON, wrong version,
// wrong types, truncation) is rejected with `*error` set; never throws.
std::optional<AppSnapshot> DeserializeSnapshot(std::string_view text, std::string* error);

// Makes `raw` safe to keep and show: invalid UTF-8 and control bytes become U+FFFD,
// and text beyond `max_chars` code points is cut and ends with "…".
std::string SanitizeText(std::string_view raw, size_t max_chars = 200);

}  // namespace observd
