// RefreshOutcome is how one snapshot refresh ended, as the refresher
// (snapshot/SnapshotCache) reports it and the metrics count it. Plain data and a pure
// function; thread-safe.
#pragma once

namespace observd {

enum class RefreshOutcome { kComputed, kShared, kFailed };

// "computed", "shared" or "failed": the outcome label of the refresh metrics.
const char* RefreshOutcomeName(RefreshOutcome outcome);

}  // namespace observd
