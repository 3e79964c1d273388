// observd_microbench, the text groups: HTML escaping (kainjow's and observd's) and
// SanitizeText on the strings Redis hands over.
#include <benchmark/benchmark.h>

#include <kainjow/mustache.hpp>
#include <string>

#include "microbench_fixtures.h"
#include "render/format.h"
#include "snapshot/app_snapshot.h"

namespace observd::bench {
namespace {

// ---------------------------------------------------------------- HTML escaping

// Text with the density of markup characters of the /metrics body (quotes in labels).
std::string EscapeInput(bool markup_heavy) {
  std::string text;
  RealisticMetrics(0).Serialize(&text);
  if (!markup_heavy) {
    for (char& c : text) {
      if (c == '"' || c == '<' || c == '>' || c == '&' || c == '\'') c = '_';
    }
  }
  return text;
}

void BM_Escape_Kainjow(benchmark::State& state) {
  std::string in = EscapeInput(state.range(0) != 0);
  for (auto _ : state) {
    std::string out = kainjow::mustache::html_escape<std::string>(in);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
}
BENCHMARK(BM_Escape_Kainjow)->Arg(0)->Arg(1);

void BM_Escape_Observd(benchmark::State& state) {
  std::string in = EscapeInput(state.range(0) != 0);
  for (auto _ : state) {
    std::string out = HtmlEscape(in);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
}
BENCHMARK(BM_Escape_Observd)->Arg(0)->Arg(1);

void BM_Escape_BaselineCopy(benchmark::State& state) {
  StringCopyBaseline(state, EscapeInput(state.range(0) != 0));
}
BENCHMARK(BM_Escape_BaselineCopy)->Arg(0)->Arg(1);

// ---------------------------------------------------------------- SanitizeText

std::string SanitizeInput(int kind) {
  switch (kind) {
    case 0:  // typical ASCII filename
      return "quarterly-report-2026 (final) v2.pdf";
    case 1:  // UTF-8 text, long enough to be cut at 200 code points
    {
      std::string s;
      while (s.size() < 1000)
        s += "R\xC3\xA9sum\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x93\x84 ";
      return s;
    }
    default:  // hostile: invalid bytes and control characters
    {
      std::string s;
      for (int i = 0; i < 1000; ++i) s += static_cast<char>((i * 37) & 0xFF);
      return s;
    }
  }
}

void BM_Sanitize(benchmark::State& state) {
  std::string in = SanitizeInput(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    std::string out = SanitizeText(in);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
}
BENCHMARK(BM_Sanitize)->Arg(0)->Arg(1)->Arg(2);

void BM_Sanitize_BaselineCopy(benchmark::State& state) {
  StringCopyBaseline(state, SanitizeInput(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_Sanitize_BaselineCopy)->Arg(0)->Arg(1)->Arg(2);

}  // namespace
}  // namespace observd::bench
