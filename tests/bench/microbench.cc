// observd_microbench: Google Benchmark micro-benchmarks of the CPU work behind each
// route (snapshot JSON, /metrics text, HTML partials, escaping, sanitizing, query
// building). Every group has a baseline (a copy of the same bytes) so results read as
// ratios on a noisy, shared machine. Single-threaded; no servers.
//
// One binary; each group is a file that registers its benchmarks: microbench_snapshot.cc
// (snapshot JSON, snapshot queries), microbench_metrics.cc (/metrics text),
// microbench_render.cc (HTML partials, JSON), microbench_text.cc (escaping, sanitizing);
// their fixtures are microbench_fixtures.{h,cc}.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
