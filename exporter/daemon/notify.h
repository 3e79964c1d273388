// Notify speaks the systemd notification protocol (sd_notify(3), written here without
// libsystemd): READY, RELOADING, STOPPING, WATCHDOG, STATUS. A no-op outside systemd.
// Thread-safe.
#pragma once

#include <chrono>
#include <string>

namespace observd {

void NotifyReady(const std::string& status);
void NotifyReloading();
void NotifyStopping();
void NotifyWatchdog();
// The watchdog interval systemd asked for, or 0 when the watchdog is off.
std::chrono::microseconds WatchdogInterval();

}  // namespace observd
