// Fixtures shared by observd_microbench's groups (microbench_*.cc): a snapshot, a
// registry and a Status shaped like a running daemon's, and the copy baselines every
// group is read against. Not thread-safe (the benchmarks are single-threaded).
#pragma once

#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "metrics/exposition_format.h"
#include "metrics/metrics_registry.h"
#include "model/app_snapshot.h"
#include "status/status.h"

namespace observd::bench {

inline constexpr double kNow = 1764355200.0;

// A snapshot shaped like the demo's: 100 recent uploads, 3 workflow statuses, 60
// per-minute buckets, `extra_queries` configured gauges.
AppSnapshot RealisticSnapshot(int recent = 100, int extra_queries = 3);

// `n` configured queries (ZCOUNT and GET in turn), named as RealisticSnapshot's gauges.
std::vector<QueryConfig> Queries(int n);

// The handler labels of observd's route table.
extern const std::vector<std::string> kHandlerLabels;

// A registry as a running daemon has it (every handler answered with a few codes) and
// the Status it serializes with.
struct RealisticScrape {
  std::unique_ptr<Metrics> metrics;
  Status status;
  void Serialize(std::string* out, ExpositionFormat format = ExpositionFormat::kText004) const {
    metrics->Serialize(status, out, format);
  }
};

RealisticScrape RealisticMetrics(int extra_queries);

// The Status of RealisticMetrics(0): what the partials and the JSON routes render.
Status RealisticView();

// Copies `bytes` into a preallocated buffer: the floor for producing that many bytes.
void CopyBaseline(benchmark::State& state, const std::string& bytes);

// Copies into a freshly allocated std::string each time (what a route returning a
// new string must at least do).
void StringCopyBaseline(benchmark::State& state, const std::string& bytes);

}  // namespace observd::bench
