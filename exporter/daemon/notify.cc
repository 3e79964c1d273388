#include "daemon/notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string_view>

namespace observd {
namespace {

// The datagram protocol of sd_notify(3), written here rather than linked from
// libsystemd: the protocol is stable and small, and libsystemd brings six more
// libraries (gcrypt, lzma, zstd, lz4, ...) into the daemon, ~1 MB of RSS for one
// sendto(). Sends `state` to $NOTIFY_SOCKET (a path, or "@name" in the abstract
// namespace); does nothing outside systemd.
void Send(std::string_view state) {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (!path || (path[0] != '/' && path[0] != '@')) return;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const size_t len = std::strlen(path);
  if (len >= sizeof(addr.sun_path)) return;
  std::memcpy(addr.sun_path, path, len);
  if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  const auto addr_len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + len);
  ssize_t sent;
  do {
    sent = sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                  reinterpret_cast<const sockaddr*>(&addr), addr_len);
  } while (sent < 0 && errno == EINTR);
  close(fd);
}

// A decimal environment value, or 0 when unset or not a whole positive number.
uint64_t EnvNumber(const char* name) {
  const char* s = std::getenv(name);
  if (!s) return 0;
  uint64_t v = 0;
  const char* end = s + std::strlen(s);
  auto [ptr, ec] = std::from_chars(s, end, v);
  return ec == std::errc() && ptr == end ? v : 0;
}

}  // namespace

void NotifyReady(const std::string& status) { Send("READY=1\nSTATUS=" + status); }

void NotifyReloading() {
  // MONOTONIC_USEC: systemd's notify-reload units (v253+) want the reload's start.
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const auto usec =
      static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
  Send("RELOADING=1\nSTATUS=Reloading configuration\nMONOTONIC_USEC=" + std::to_string(usec));
}

void NotifyStopping() { Send("STOPPING=1\nSTATUS=Draining and stopping"); }

void NotifyWatchdog() { Send("WATCHDOG=1"); }

std::chrono::microseconds WatchdogInterval() {
  // As sd_watchdog_enabled(3): WATCHDOG_USEC, for this process when WATCHDOG_PID is set.
  const uint64_t usec = EnvNumber("WATCHDOG_USEC");
  if (usec == 0) return std::chrono::microseconds{0};
  if (std::getenv("WATCHDOG_PID") && EnvNumber("WATCHDOG_PID") != static_cast<uint64_t>(getpid())) {
    return std::chrono::microseconds{0};
  }
  return std::chrono::microseconds{static_cast<int64_t>(usec)};
}

}  // namespace observd
