#include "metrics/text_format.h"

#include <fmt/format.h>

#include <cmath>
#include <iterator>
#include <utility>

namespace observd {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricType;

void AppendEscaped(std::string_view s, bool quote, std::string* out) {
  size_t clean = 0;  // the common case has nothing to escape: append it in one go
  while (clean < s.size() && s[clean] != '\\' && s[clean] != '\n' && !(quote && s[clean] == '"')) {
    ++clean;
  }
  out->append(s.data(), clean);
  for (char c : s.substr(clean)) {
    if (c == '\\') {
      *out += "\\\\";
    } else if (c == '\n') {
      *out += "\\n";
    } else if (quote && c == '"') {
      *out += "\\\"";
    } else {
      *out += c;
    }
  }
}

void AppendValue(double v, std::string* out) {
  if (std::isnan(v)) {
    *out += "NaN";
  } else if (std::isinf(v)) {
    *out += v > 0 ? "+Inf" : "-Inf";
  } else if (v == std::trunc(v) && std::fabs(v) < 1e15) {
    // Counts and most gauges are whole numbers: the integer path is ~5x faster.
    fmt::format_int i(static_cast<int64_t>(v));
    out->append(i.data(), i.size());
  } else {
    fmt::format_to(std::back_inserter(*out), "{}", v);
  }
}

// Bucket bounds repeat on every scrape: format each distinct one once per thread.
void AppendBound(double v, std::string* out) {
  thread_local std::vector<std::pair<double, std::string>> cache;
  for (const auto& [bound, text] : cache) {
    if (bound == v) {
      *out += text;
      return;
    }
  }
  std::string text;
  AppendValue(v, &text);
  if (cache.size() < 64) cache.emplace_back(v, text);
  *out += text;
}

// name{a="x",b="y"[,extra_name="extra_value"]} value\n
void AppendSample(std::string_view name, std::string_view suffix,
                  const std::vector<ClientMetric::Label>& labels, const char* extra_name,
                  double extra_value, double value, std::string* out) {
  *out += name;
  *out += suffix;
  if (!labels.empty() || extra_name) {
    *out += '{';
    bool first = true;
    for (const auto& l : labels) {
      if (!first) *out += ',';
      first = false;
      *out += l.name;
      *out += "=\"";
      AppendEscaped(l.value, true, out);
      *out += '"';
    }
    if (extra_name) {
      if (!first) *out += ',';
      *out += extra_name;
      *out += "=\"";
      AppendBound(extra_value, out);
      *out += '"';
    }
    *out += '}';
  }
  *out += ' ';
  AppendValue(value, out);
  *out += '\n';
}

const char* TypeName(MetricType t) {
  switch (t) {
    case MetricType::Counter:
      return "counter";
    case MetricType::Gauge:
      return "gauge";
    case MetricType::Summary:
      return "summary";
    case MetricType::Histogram:
      return "histogram";
    case MetricType::Untyped:
      return "untyped";
  }
  return "untyped";
}

}  // namespace

void AppendTextFormat(const std::vector<prometheus::MetricFamily>& families, std::string* out) {
  size_t lines = 0;
  for (const auto& f : families)
    lines += 2 + f.metric.size() * (f.type == MetricType::Histogram ? 16 : 1);
  out->reserve(out->size() + lines * 96);
  for (const auto& f : families) {
    *out += "# HELP ";
    *out += f.name;
    *out += ' ';
    AppendEscaped(f.help, false, out);
    *out += "\n# TYPE ";
    *out += f.name;
    *out += ' ';
    *out += TypeName(f.type);
    *out += '\n';
    for (const auto& m : f.metric) {
      switch (f.type) {
        case MetricType::Counter:
          AppendSample(f.name, "", m.label, nullptr, 0, m.counter.value, out);
          break;
        case MetricType::Gauge:
          AppendSample(f.name, "", m.label, nullptr, 0, m.gauge.value, out);
          break;
        case MetricType::Untyped:
          AppendSample(f.name, "", m.label, nullptr, 0, m.untyped.value, out);
          break;
        case MetricType::Histogram:
          for (const auto& b : m.histogram.bucket) {
            AppendSample(f.name, "_bucket", m.label, "le", b.upper_bound,
                         static_cast<double>(b.cumulative_count), out);
          }
          AppendSample(f.name, "_sum", m.label, nullptr, 0, m.histogram.sample_sum, out);
          AppendSample(f.name, "_count", m.label, nullptr, 0,
                       static_cast<double>(m.histogram.sample_count), out);
          break;
        case MetricType::Summary:
          for (const auto& q : m.summary.quantile) {
            AppendSample(f.name, "", m.label, "quantile", q.quantile, q.value, out);
          }
          AppendSample(f.name, "_sum", m.label, nullptr, 0, m.summary.sample_sum, out);
          AppendSample(f.name, "_count", m.label, nullptr, 0,
                       static_cast<double>(m.summary.sample_count), out);
          break;
      }
    }
  }
}

}  // namespace observd
