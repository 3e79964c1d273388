#include "metrics/openmetrics_format.h"

#include <algorithm>
#include <array>

#include "metrics/sample_format.h"

namespace observd {
namespace {

using prometheus::MetricFamily;
using prometheus::MetricType;

constexpr std::string_view kTotal = "_total";
constexpr std::string_view kInfo = "_info";

// The base units of the Prometheus naming conventions.
constexpr std::array<std::string_view, 9> kUnits = {
    "seconds", "bytes", "ratio", "meters", "grams", "joules", "volts", "amperes", "celsius"};

bool IsInfo(const MetricFamily& f, std::span<const std::string_view> info_families) {
  return f.type == MetricType::Gauge && f.name.ends_with(kInfo) &&
         std::find(info_families.begin(), info_families.end(), f.name) != info_families.end();
}

void AppendMetadata(std::string_view keyword, std::string_view family, std::string_view value,
                    bool escape, std::string* out) {
  *out += "# ";
  *out += keyword;
  *out += ' ';
  *out += family;
  *out += ' ';
  if (escape) {
    AppendEscaped(value, true, out);  // OpenMetrics escapes " in HELP too
  } else {
    *out += value;
  }
  *out += '\n';
}

}  // namespace

std::string_view OpenMetricsUnit(std::string_view family_name) {
  for (std::string_view unit : kUnits) {
    if (family_name.size() > unit.size() + 1 && family_name.ends_with(unit) &&
        family_name[family_name.size() - unit.size() - 1] == '_') {
      return unit;
    }
  }
  return {};
}

void AppendOpenMetrics(const std::vector<MetricFamily>& families,
                       std::span<const std::string_view> info_families, std::string* out) {
  out->reserve(out->size() + EstimateExpositionSize(families));
  std::string total_name;  // only for a counter whose name lacks _total (none of ours)
  for (const auto& f : families) {
    std::string_view family = f.name;
    std::string_view sample_name = f.name;
    std::string_view type;
    switch (f.type) {
      case MetricType::Counter:
        type = "counter";
        if (family.ends_with(kTotal)) {
          family.remove_suffix(kTotal.size());
        } else {
          total_name.assign(f.name).append(kTotal);
          sample_name = total_name;
        }
        break;
      case MetricType::Gauge:
        type = "gauge";
        if (IsInfo(f, info_families)) {
          type = "info";
          family.remove_suffix(kInfo.size());
        }
        break;
      case MetricType::Histogram:
        type = "histogram";
        break;
      case MetricType::Summary:
        type = "summary";
        break;
      case MetricType::Untyped:
        type = "unknown";
        break;
    }
    AppendMetadata("TYPE", family, type, false, out);
    // Info families must have an empty unit.
    std::string_view unit = type == "info" ? std::string_view() : OpenMetricsUnit(family);
    if (!unit.empty()) AppendMetadata("UNIT", family, unit, false, out);
    if (!f.help.empty()) AppendMetadata("HELP", family, f.help, true, out);
    AppendSamples(f, sample_name, out);
  }
  *out += "# EOF\n";
}

}  // namespace observd
