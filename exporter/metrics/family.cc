#include "metrics/family.h"

namespace observd {

prometheus::MetricFamily MakeFamily(std::string_view name, std::string help,
                                    prometheus::MetricType type) {
  prometheus::MetricFamily f;
  f.name = std::string(name);
  f.help = std::move(help);
  f.type = type;
  return f;
}

void AddSample(prometheus::MetricFamily* family,
               std::vector<prometheus::ClientMetric::Label> labels, double value) {
  prometheus::ClientMetric m;
  m.label = std::move(labels);
  if (family->type == prometheus::MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  family->metric.push_back(std::move(m));
}

prometheus::MetricFamily SingleSample(std::string_view name, std::string help,
                                      prometheus::MetricType type, double value) {
  auto f = MakeFamily(name, std::move(help), type);
  AddSample(&f, {}, value);
  return f;
}

}  // namespace observd
