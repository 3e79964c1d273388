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

namespace observd {

namespace {

bool ParseNumber(std::string_view s, double* out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// Reads a whole procfs file (they report size 0, so read until EOF). "" on failure.
std::string ReadProcFile(const char* path) {
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return n < 0 ? "" : out;
}

}  // namespace

bool ParseProcStat(const std::string& stat, long ticks_per_second, long page_size, double boot_time,
                   ProcessStats* out) {
  if (ticks_per_second <= 0 || page_size <= 0) return false;
  // comm is "(...)" and may itself contain ") (": the last ')' ends it.
  const size_t open_paren = stat.find('(');
  const size_t close_paren = stat.rfind(')');
  if (open_paren == std::string::npos || close_paren == std::string::npos ||
      close_paren < open_paren) {
    return false;
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
  if (fields.size() <= kRss) return false;
  double utime, stime, start, vsize, rss;
  if (!ParseNumber(fields[kUtime], &utime) || !ParseNumber(fields[kStime], &stime) ||
      !ParseNumber(fields[kStart], &start) || !ParseNumber(fields[kVsize], &vsize) ||
      !ParseNumber(fields[kRss], &rss)) {
    return false;
  }
  const double ticks = static_cast<double>(ticks_per_second);
  out->cpu_seconds = (utime + stime) / ticks;
  out->start_time_seconds = boot_time + start / ticks;
  out->virtual_memory_bytes = vsize;
  out->resident_memory_bytes = rss * static_cast<double>(page_size);
  return true;
}

std::optional<double> ParseBootTime(const std::string& proc_stat) {
  std::istringstream in(proc_stat);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("btime ")) continue;
    double value;
    std::string_view v = std::string_view(line).substr(6);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    if (ParseNumber(v, &value)) return value;
    return std::nullopt;
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
    double value;
    if (ParseNumber(soft, &value)) return value;
    return std::nullopt;
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
  ProcessStats stats;
  // The boot time never changes: read /proc/stat (several KB) once, not per scrape.
  // The unit's ProcSubset=pid hides /proc/stat; the clocks give the same btime.
  static const double boot_time =
      ParseBootTime(ReadProcFile("/proc/stat")).value_or(BootTimeFromClocks());
  ParseProcStat(ReadProcFile("/proc/self/stat"), sysconf(_SC_CLK_TCK), sysconf(_SC_PAGESIZE),
                boot_time, &stats);
  stats.max_fds = ParseMaxFds(ReadProcFile("/proc/self/limits")).value_or(0);
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
