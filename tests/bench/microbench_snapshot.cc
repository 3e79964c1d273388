// observd_microbench, the snapshot groups: its JSON form (written to and read from the
// shared key) and the commands of a refresh's first pipeline.
#include <benchmark/benchmark.h>

#include <string>

#include "config/config.h"
#include "microbench_fixtures.h"
#include "snapshot/app_snapshot.h"
#include "snapshot/snapshot_source.h"

namespace observd::bench {
namespace {

// ---------------------------------------------------------------- snapshot JSON

void BM_Snapshot_Serialize(benchmark::State& state) {
  AppSnapshot s = RealisticSnapshot(static_cast<int>(state.range(0)));
  size_t bytes = 0;
  for (auto _ : state) {
    std::string json = SerializeSnapshot(s);
    bytes = json.size();
    benchmark::DoNotOptimize(json.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Snapshot_Serialize)->Arg(100)->Arg(1000);

void BM_Snapshot_Deserialize(benchmark::State& state) {
  std::string json = SerializeSnapshot(RealisticSnapshot(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    auto s = DeserializeSnapshot(json);
    if (!s) state.SkipWithError(s.error().c_str());
    benchmark::DoNotOptimize(s);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
  state.counters["bytes"] = static_cast<double>(json.size());
}
BENCHMARK(BM_Snapshot_Deserialize)->Arg(100)->Arg(1000);

void BM_Snapshot_BaselineCopy(benchmark::State& state) {
  CopyBaseline(state, SerializeSnapshot(RealisticSnapshot(static_cast<int>(state.range(0)))));
}
BENCHMARK(BM_Snapshot_BaselineCopy)->Arg(100)->Arg(1000);
// ---------------------------------------------------------------- snapshot queries

void BM_BuildSnapshotQueries(benchmark::State& state) {
  KeysConfig keys;
  auto queries = Queries(static_cast<int>(state.range(0)));
  size_t n = 0;
  for (auto _ : state) {
    auto cmds = BuildSnapshotQueries(keys, queries, kNow);
    n = cmds.size();
    benchmark::DoNotOptimize(cmds.data());
  }
  state.counters["commands"] = static_cast<double>(n);
}
BENCHMARK(BM_BuildSnapshotQueries)->Arg(0)->Arg(10)->Arg(1000);

// Copying an already built command list of the same shape (allocation floor).
void BM_BuildSnapshotQueries_BaselineCopy(benchmark::State& state) {
  KeysConfig keys;
  auto built = BuildSnapshotQueries(keys, Queries(static_cast<int>(state.range(0))), kNow);
  for (auto _ : state) {
    auto copy = built;
    benchmark::DoNotOptimize(copy.data());
  }
  state.counters["commands"] = static_cast<double>(built.size());
}
BENCHMARK(BM_BuildSnapshotQueries_BaselineCopy)->Arg(0)->Arg(10)->Arg(1000);

}  // namespace
}  // namespace observd::bench
