#include "metrics/app_collector.h"

#include <map>

#include "metrics/family.h"
#include "util/metric_names.h"

namespace observd {
using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
namespace names = metric_names;

std::vector<MetricFamily> CollectAppMetrics(const AppSnapshot& s,
                                            const std::vector<QueryConfig>& queries) {
  std::vector<MetricFamily> out;
  auto uploads =
      MakeFamily(names::kAppUploads,
                 "Uploads in the application's timeline (ZCARD of the uploads sorted set).",
                 MetricType::Gauge);
  if (s.uploads_total) AddSample(&uploads, {}, static_cast<double>(*s.uploads_total));
  out.push_back(std::move(uploads));

  auto window =
      MakeFamily(names::kAppUploadsWindow,
                 "Uploads whose time falls in the trailing window (1h or 24h).", MetricType::Gauge);
  if (s.uploads_1h) AddSample(&window, {{"window", "1h"}}, static_cast<double>(*s.uploads_1h));
  if (s.uploads_24h) AddSample(&window, {{"window", "24h"}}, static_cast<double>(*s.uploads_24h));
  out.push_back(std::move(window));

  auto users =
      MakeFamily(names::kAppActiveUsers, "Users currently in the application's active set (SCARD).",
                 MetricType::Gauge);
  if (s.active_users) AddSample(&users, {}, static_cast<double>(*s.active_users));
  out.push_back(std::move(users));

  auto runs = MakeFamily(names::kAppWorkflowRunsWindow,
                         "Workflow runs by status whose time falls in the trailing window.",
                         MetricType::Gauge);
  for (const auto& [status, w] : s.workflow_runs) {
    if (w.last_1h) {
      AddSample(&runs, {{"status", status}, {"window", "1h"}}, static_cast<double>(*w.last_1h));
    }
    if (w.last_24h) {
      AddSample(&runs, {{"status", status}, {"window", "24h"}}, static_cast<double>(*w.last_24h));
    }
  }
  out.push_back(std::move(runs));

  // Extra queries: families in config order; a name may appear with several label sets.
  std::map<std::string, size_t> index;
  for (const auto& q : queries) {
    if (!index.count(q.name)) {
      index[q.name] = out.size();
      out.push_back(MakeFamily(q.name, q.help.empty() ? "Configured Redis query." : q.help,
                               MetricType::Gauge));
    }
  }
  for (const auto& v : s.queries) {
    auto it = index.find(v.name);
    if (it == index.end() || !v.value) continue;
    std::vector<ClientMetric::Label> labels;
    for (const auto& [k, val] : v.labels) labels.push_back({k, val});
    AddSample(&out[it->second], std::move(labels), *v.value);
  }
  return out;
}

std::vector<MetricFamily> CollectProcessMetrics(const ProcessStats& p) {
  std::vector<MetricFamily> out;
  auto one = [&](const char* name, const char* help, MetricType type, double v) {
    out.push_back(SingleSample(name, help, type, v));
  };
  one("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
      MetricType::Counter, p.cpu_seconds);
  one("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::Gauge,
      p.resident_memory_bytes);
  one("process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType::Gauge,
      p.virtual_memory_bytes);
  one("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
      MetricType::Gauge, p.start_time_seconds);
  one("process_open_fds", "Number of open file descriptors.", MetricType::Gauge, p.open_fds);
  one("process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge, p.max_fds);
  return out;
}

}  // namespace observd
