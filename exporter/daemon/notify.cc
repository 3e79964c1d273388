#include "daemon/notify.h"

#include <systemd/sd-daemon.h>

namespace observd {

void NotifyReady(const std::string& status) { sd_notifyf(0, "READY=1\nSTATUS=%s", status.c_str()); }

void NotifyReloading() { sd_notify(0, "RELOADING=1\nSTATUS=Reloading configuration"); }

void NotifyStopping() { sd_notify(0, "STOPPING=1\nSTATUS=Draining and stopping"); }

void NotifyWatchdog() { sd_notify(0, "WATCHDOG=1"); }

std::chrono::microseconds WatchdogInterval() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0) return std::chrono::microseconds{0};
  return std::chrono::microseconds{usec};
}

}  // namespace observd
