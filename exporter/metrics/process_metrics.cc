// process_* metrics from procfs, in the same units as client_golang's process
// collector: seconds, bytes, unix time.
#include "metrics/process_metrics.h"

#include <dirent.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string_view>
#include <vector>

#include "util/file.h"

namespace observd {

namespace {

std::optional<double> ParseNumber(std::string_view s) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// A procfs file's text (util's ReadFile reads until EOF: they report size 0); "" when it
// cannot be read, which every parser below answers with nullopt.
std::string ProcText(const char* path) {
  Result<std::string> text = ReadFile(path, 1 << 20);
  return text ? std::move(*text) : std::string();
}

}  // namespace

std::optional<ProcessStats> ParseProcStat(const std::string& stat, long ticks_per_second,
                                          long page_size, double boot_time) {
  if (ticks_per_second <= 0 || page_size <= 0) return std::nullopt;
  // comm is "(...)" and may itself contain ") (": the last ')' ends it.
  const size_t open_paren = stat.find('(');
  const size_t close_paren = stat.rfind(')');
  if (open_paren == std::string::npos || close_paren == std::string::npos ||
      close_paren < open_paren) {
    return std::nullopt;
  }
  // Fields after comm, starting at field 3 (state).
  std::vector<std::string_view> fields;
  std::string_view rest = std::string_view(stat).substr(close_paren + 1);
  while (!rest.empty()) {
    const size_t start = rest.find_first_not_of(" \n");
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    const size_t end = rest.find_first_of(" \n");
    fields.push_back(rest.substr(0, end));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
  }
  // Field numbers are those of proc(5); index = number - 3.
  constexpr size_t kUtime = 14 - 3, kStime = 15 - 3, kStart = 22 - 3, kVsize = 23 - 3,
                   kRss = 24 - 3;
  if (fields.size() <= kRss) return std::nullopt;
  const auto utime = ParseNumber(fields[kUtime]), stime = ParseNumber(fields[kStime]),
             start = ParseNumber(fields[kStart]), vsize = ParseNumber(fields[kVsize]),
             rss = ParseNumber(fields[kRss]);
  if (!utime || !stime || !start || !vsize || !rss) return std::nullopt;
  const double ticks = static_cast<double>(ticks_per_second);
  ProcessStats out;
  out.cpu_seconds = (*utime + *stime) / ticks;
  out.start_time_seconds = boot_time + *start / ticks;
  out.virtual_memory_bytes = *vsize;
  out.resident_memory_bytes = *rss * static_cast<double>(page_size);
  return out;
}

std::optional<double> ParseBootTime(const std::string& proc_stat) {
  std::istringstream in(proc_stat);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("btime ")) continue;
    std::string_view v = std::string_view(line).substr(6);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return ParseNumber(v);
  }
  return std::nullopt;
}

std::optional<double> ParseMaxFds(const std::string& limits) {
  std::istringstream in(limits);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("Max open files")) continue;
    std::istringstream fields(line.substr(std::string_view("Max open files").size()));
    std::string soft;
    if (!(fields >> soft)) return std::nullopt;
    if (soft == "unlimited") return -1;
    return ParseNumber(soft);
  }
  return std::nullopt;
}

double BootTimeFromClocks() {
  timespec real{}, boot{};
  clock_gettime(CLOCK_REALTIME, &real);
  clock_gettime(CLOCK_BOOTTIME, &boot);
  return std::floor((real.tv_sec - boot.tv_sec) + (real.tv_nsec - boot.tv_nsec) / 1e9);
}

ProcessStats ReadProcessStats() {
  // The boot time never changes: read /proc/stat (several KB) once, not per scrape.
  // The unit's ProcSubset=pid hides /proc/stat; the clocks give the same btime.
  static const double boot_time =
      ParseBootTime(ProcText("/proc/stat")).value_or(BootTimeFromClocks());
  ProcessStats stats = ParseProcStat(ProcText("/proc/self/stat"), sysconf(_SC_CLK_TCK),
                                     sysconf(_SC_PAGESIZE), boot_time)
                           .value_or(ProcessStats{});
  stats.max_fds = ParseMaxFds(ProcText("/proc/self/limits")).value_or(0);
  if (DIR* dir = opendir("/proc/self/fd")) {
    double count = 0;
    while (const dirent* entry = readdir(dir)) {
      if (entry->d_name[0] != '.') ++count;
    }
    closedir(dir);
    stats.open_fds = count > 0 ? count - 1 : 0;  // minus the descriptor of `dir` itself.
  }
  return stats;
}

}  // namespace observd
