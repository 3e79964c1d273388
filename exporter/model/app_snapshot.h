// AppSnapshot is one consistent reading of the application's Redis data; values Redis
// did not give (wrong types, garbage) are std::nullopt and render as "—".
// VersionedSnapshot is one published reading, and SnapshotReader the read side of
// whoever publishes them (snapshot/SnapshotCache), so status/ reads snapshots without
// linking the Redis client. Plain data (thread-compatible; published as
// shared_ptr<const ...>) and an interface whose implementations say their own
// thread-safety.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/duration.h"

namespace observd {

using MaybeInt = std::optional<int64_t>;

// The statuses an upload record may have (DESIGN.md, upload:<id>'s `status`); only
// "processing" may still change, the others are final. Anything else shows as unknown.
inline constexpr std::string_view kUploadStatuses[] = {"stored", "processing", "failed"};
inline constexpr std::string_view kUploadStatusInFlight = "processing";
inline bool IsKnownUploadStatus(std::string_view status) {
  for (std::string_view s : kUploadStatuses) {
    if (s == status) return true;
  }
  return false;
}
inline bool IsFinalUploadStatus(std::string_view status) {
  return status != kUploadStatusInFlight && IsKnownUploadStatus(status);
}

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

// The trailing window of the "1h" counts (uploads_1h, RunWindows::last_1h): scores in
// (computed_at - kLastHourSeconds, +inf), one ZCOUNT at computed_at.
inline constexpr int64_t kLastHourSeconds = 3600;

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
  double computed_at = 0;   // unix seconds, when the queries ran.
  std::string producer;     // instance that computed it (host:pid).
  std::string fingerprint;  // of the keys and queries it was computed with.
  MaybeInt uploads_total;
  MaybeInt uploads_1h;
  MaybeInt uploads_24h;
  MaybeInt active_users;
  std::map<std::string, RunWindows> workflow_runs;  // status -> windows.
  // (The per-bucket series are not part of the snapshot: snapshot/AppSeries counts them.)
  std::vector<Upload> recent;  // newest first.
  // Why `recent` could not be read this time ("" when it was): the counts above are
  // read separately and stay valid.
  std::string recent_error;
  int64_t skipped_records =
      0;  // rows of `recent` not read: over the size bound or not a hash (note)
  std::vector<QueryValue> queries;

  bool operator==(const AppSnapshot&) const = default;
};

// The snapshot's counts under their names in the shared key's JSON: the JSON form
// (snapshot/app_snapshot.cc) writes and reads every count in this list and no other.
struct AppCount {
  std::string_view name;
  MaybeInt AppSnapshot::*field;
};
inline constexpr AppCount kAppCounts[] = {
    {"uploads_total", &AppSnapshot::uploads_total},
    {"uploads_1h", &AppSnapshot::uploads_1h},
    {"uploads_24h", &AppSnapshot::uploads_24h},
    {"active_users", &AppSnapshot::active_users},
};

struct VersionedSnapshot {
  AppSnapshot app;
  uint64_t version = 0;  // increases with every successful refresh.
};

class SnapshotReader {
 public:
  virtual ~SnapshotReader() = default;
  // The snapshot for a consumer that shows it: a counted read that may start a refresh
  // and wait for it (bounded). nullptr when none was ever obtained.
  virtual std::shared_ptr<const VersionedSnapshot> Get() = 0;
  // The snapshot as it is now: not counted, never starts a refresh or waits.
  virtual std::shared_ptr<const VersionedSnapshot> Current() const = 0;
  // How long a snapshot is served before it is refreshed.
  virtual Millis ttl() const = 0;
};

}  // namespace observd
