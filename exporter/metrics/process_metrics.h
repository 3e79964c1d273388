// ProcessMetrics reads the process_* metrics from /proc/self (prometheus-cpp has no
// process collector). The parsers are pure functions tested on fixtures; Read() is
// thread-safe (no shared state).
#pragma once

#include <optional>
#include <string>

namespace observd {

struct ProcessStats {
  double cpu_seconds = 0;  // utime + stime
  double resident_memory_bytes = 0;
  double virtual_memory_bytes = 0;
  double start_time_seconds = 0;  // unix time
  double open_fds = 0;
  double max_fds = 0;
};

// Parses /proc/<pid>/stat. `ticks_per_second` is sysconf(_SC_CLK_TCK), `page_size`
// sysconf(_SC_PAGESIZE), `boot_time` the btime line of /proc/stat. The comm field
// may contain spaces and parentheses. The cpu, memory and start time fields (the rest
// stay 0); nullopt on malformed input.
std::optional<ProcessStats> ParseProcStat(const std::string& stat, long ticks_per_second,
                                          long page_size, double boot_time);

// Parses the "btime" line of /proc/stat.
std::optional<double> ParseBootTime(const std::string& proc_stat);

// The boot time as unix seconds from CLOCK_REALTIME - CLOCK_BOOTTIME, whole seconds
// like btime: for when /proc/stat cannot be read (systemd's ProcSubset=pid).
double BootTimeFromClocks();

// Parses the "Max open files" soft limit of /proc/<pid>/limits ("unlimited" -> -1).
std::optional<double> ParseMaxFds(const std::string& limits);

// Reads all of it for the current process; fields it cannot read stay 0.
ProcessStats ReadProcessStats();

}  // namespace observd
