#include "metrics/sample_format.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <iterator>
#include <utility>

namespace observd {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricType;

// Go's strconv.FormatFloat(v, 'g', -1, 64), which the OpenMetrics spec takes as the
// canonical rendering, plus ".0" when the result reads as an integer.
std::string CanonicalFloat(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  // Shortest round-trip digits; the exponent decides between the two layouts.
  auto sci = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view s(buf, sci.ptr - buf);
  const size_t e = s.find('e') + 1;  // to_chars writes the exponent with its sign
  int exp = 0;
  std::from_chars(s.data() + e + (s[e] == '+' ? 1 : 0), s.data() + s.size(), exp);
  if (exp < -4 || exp >= 6) return std::string(s);  // "1e-05", "1.5e+06": Go's layout too
  auto fixed = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  std::string out(buf, fixed.ptr - buf);
  if (out.find('.') == std::string::npos) out += ".0";
  return out;
}

}  // namespace

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

void AppendCanonicalFloat(double v, std::string* out) {
  // Bucket bounds repeat on every scrape: format each distinct one once per thread.
  thread_local std::vector<std::pair<double, std::string>> cache;
  for (const auto& [bound, text] : cache) {
    if (bound == v && std::signbit(bound) == std::signbit(v)) {
      *out += text;
      return;
    }
  }
  std::string text = CanonicalFloat(v);
  *out += text;
  if (cache.size() < 64 && !std::isnan(v)) cache.emplace_back(v, std::move(text));
}

namespace {

// name suffix{labels[,extra_name="extra_value"]} value\n
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
      AppendCanonicalFloat(extra_value, out);
      *out += '"';
    }
    *out += '}';
  }
  *out += ' ';
  AppendValue(value, out);
  *out += '\n';
}

}  // namespace

size_t EstimateExpositionSize(const std::vector<prometheus::MetricFamily>& families) {
  size_t lines = 0;
  for (const auto& f : families)
    lines += 3 + f.metric.size() * (f.type == MetricType::Histogram ? 16 : 1);
  return lines * 96;
}

void AppendSamples(const prometheus::MetricFamily& f, std::string_view name, std::string* out) {
  for (const auto& m : f.metric) {
    switch (f.type) {
      case MetricType::Counter:
        AppendSample(name, "", m.label, nullptr, 0, m.counter.value, out);
        break;
      case MetricType::Gauge:
        AppendSample(name, "", m.label, nullptr, 0, m.gauge.value, out);
        break;
      case MetricType::Untyped:
        AppendSample(name, "", m.label, nullptr, 0, m.untyped.value, out);
        break;
      case MetricType::Histogram:
        for (const auto& b : m.histogram.bucket) {
          AppendSample(name, "_bucket", m.label, "le", b.upper_bound,
                       static_cast<double>(b.cumulative_count), out);
        }
        AppendSample(name, "_sum", m.label, nullptr, 0, m.histogram.sample_sum, out);
        AppendSample(name, "_count", m.label, nullptr, 0,
                     static_cast<double>(m.histogram.sample_count), out);
        break;
      case MetricType::Summary:
        for (const auto& q : m.summary.quantile) {
          AppendSample(name, "", m.label, "quantile", q.quantile, q.value, out);
        }
        AppendSample(name, "_sum", m.label, nullptr, 0, m.summary.sample_sum, out);
        AppendSample(name, "_count", m.label, nullptr, 0,
                     static_cast<double>(m.summary.sample_count), out);
        break;
    }
  }
}

}  // namespace observd
