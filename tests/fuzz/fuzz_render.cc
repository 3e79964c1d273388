// fuzz_render: the three HTML partials (stats, recent_uploads, metrics_text) rendered
// from the real templates in frontend/templates with hostile strings: the upload
// fields and the /metrics text come from the fuzzer input. Every value must come out
// HTML-escaped: the output has exactly as many '<', '>', '"' and '\'' as the same
// render with harmless placeholder strings (so markup can only come from the template),
// and never contains "<script" or "<img" (the templates have neither). The stats and
// history JSON are built from the same view (the application's series, counted by
// observd itself on the live window, carry the fuzzed size as every count). Upload sizes
// and times take any value a foreign snapshot in the shared cache key can carry.
//
// Input: 8 bytes int64 size, 8 bytes double created_at (used when finite), 1 byte of
// flags (redis up, snapshot present, limit), then fields separated by TAB: the metrics
// text, then id, filename, user, content_type, status for each upload in turn.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dashboard/panels.h"
#include "fuzz_check.h"
#include "model/minutes.h"
#include "render/partials.h"
#include "render/templates.h"

namespace {

constexpr char kSeparator = '\t';
constexpr double kNow = 1764355865.0;  // 2025-11-28T18:51:05Z

const observd::Templates& LoadTemplates() {
  static const std::unique_ptr<observd::Templates> templates = [] {
    auto t = observd::Templates::Load(OBSERVD_TEMPLATES, observd::RequiredTemplates());
    if (!t) {
      std::fprintf(stderr, "fuzz_render: %s\n", t.error().c_str());
      std::abort();
    }
    return std::move(*t);
  }();
  return *templates;
}

std::vector<std::string> Split(std::string_view s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    const size_t end = s.find(kSeparator, pos);
    out.emplace_back(s.substr(pos, end == std::string_view::npos ? s.npos : end - pos));
    if (end == std::string_view::npos) return out;
    pos = end + 1;
  }
}

struct Rendered {
  std::string stats, uploads, metrics;
};

// Renders the three partials; with `placeholders`, every fuzzed string is "x".
Rendered RenderAll(const std::vector<std::string>& fields, int64_t size, double created_at,
                   uint8_t flags, bool placeholders) {
  auto text = [&](size_t i) { return placeholders ? std::string("x") : fields[i]; };
  auto snap = std::make_shared<observd::VersionedSnapshot>();
  snap->version = 1;
  observd::AppSnapshot& app = snap->app;
  app.computed_at = kNow - (flags >> 3);
  app.uploads_total = size;
  app.workflow_runs["failed"] = {size, std::nullopt};
  for (size_t i = 1; i < fields.size(); i += 5) {
    observd::Upload u;
    auto at = [&](size_t k) { return i + k < fields.size() ? text(i + k) : std::string(); };
    u.id = at(0);
    u.filename = at(1);
    u.user = at(2);
    u.content_type = at(3);
    u.status = at(4);
    u.size = size;
    if (std::isfinite(created_at)) u.created_at = created_at;
    app.recent.push_back(std::move(u));
  }

  observd::Status view;
  view.now = kNow;
  view.start_time = kNow - 3600;
  view.requests_total = 42;
  view.redis.up = flags & 1;
  if (view.redis.up) view.redis.latency_seconds = 0.0012;
  view.cache.hits = 3;
  view.cache.misses = 1;
  if (flags & 2) view.snapshot = snap;
  const int limit = 1 + (flags >> 2) % 100;

  const observd::Templates& t = LoadTemplates();
  Rendered out{t.Render("stats", observd::StatsData(view)),
               t.Render("recent_uploads", observd::UploadsData(view, limit)),
               t.Render("metrics_text", observd::MetricsTextData(view, text(0)))};
  if (!placeholders) {
    observd::HistoryView history;
    const observd::BucketRange live = observd::LiveMinutes(kNow);
    history.app_series = observd::AppSeriesView{
        live.first, live.step, std::vector<observd::MaybeInt>(observd::kMinutes, size), {}};
    history.app_series->runs["failed"].assign(observd::kMinutes, std::nullopt);
    FUZZ_CHECK(!observd::StatsJson(view).empty());
    FUZZ_CHECK(!observd::HistoryJson(view, history, 1.0, {}).empty());
  }
  return out;
}

bool ContainsNoCase(std::string_view haystack, std::string_view needle) {
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                        [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) ==
                                 std::tolower(static_cast<unsigned char>(b));
                        });
  return it != haystack.end();
}

void CheckEscaped(const std::string& got, const std::string& baseline) {
  FUZZ_CHECK(!got.empty());
  for (char c : {'<', '>', '"', '\''}) {
    FUZZ_CHECK(std::count(got.begin(), got.end(), c) ==
               std::count(baseline.begin(), baseline.end(), c));
  }
  FUZZ_CHECK(!ContainsNoCase(got, "<script"));
  FUZZ_CHECK(!ContainsNoCase(got, "<img"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 17 || size > 64 * 1024) return 0;
  int64_t upload_size;
  double created_at;
  std::memcpy(&upload_size, data, 8);
  std::memcpy(&created_at, data + 8, 8);
  const uint8_t flags = data[16];
  const std::vector<std::string> fields =
      Split(std::string_view(reinterpret_cast<const char*>(data + 17), size - 17));

  const Rendered got = RenderAll(fields, upload_size, created_at, flags, false);
  const Rendered base = RenderAll(fields, upload_size, created_at, flags, true);
  CheckEscaped(got.stats, base.stats);
  CheckEscaped(got.uploads, base.uploads);
  CheckEscaped(got.metrics, base.metrics);
  return 0;
}
