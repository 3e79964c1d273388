// Loopback helpers for tests that talk to real servers: a free port, a listener
// that never answers (a hung server), and polling with a deadline instead of
// sleeps. SilentServer owns its socket; the functions are thread-safe.
#pragma once

#include <chrono>
#include <thread>

namespace observd::testing {

// A TCP port on 127.0.0.1 that was free a moment ago.
int FreeLoopbackPort();

// A TCP connection to 127.0.0.1:`port` whose reads time out after 5 s, or -1.
int ConnectLoopback(int port);

// A socket listening on a free loopback port that never accepts: the kernel
// completes connects, nothing ever answers. Closed by the destructor.
class SilentServer {
 public:
  SilentServer();
  ~SilentServer();
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;

  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Polls `predicate` every 10 ms until it returns true or `timeout` passes; returns
// its last result. For waiting on another thread without a sleep standing in.
template <typename Predicate>
bool WaitFor(Predicate predicate, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (predicate()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace observd::testing
