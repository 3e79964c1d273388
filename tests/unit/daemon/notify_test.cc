// Tests of daemon/notify.h against a real notification socket: a datagram socket
// in a temp dir named by NOTIFY_SOCKET, as systemd sets it up, and the watchdog
// interval read from WATCHDOG_USEC/WATCHDOG_PID.
#include "daemon/notify.h"

#include <gtest/gtest.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <string>

namespace observd {
namespace {

class NotifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "observd-notify-" + std::to_string(getpid()) + ".sock";
    unlink(path_.c_str());
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd_, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    ASSERT_LT(path_.size(), sizeof(addr.sun_path));
    path_.copy(addr.sun_path, path_.size());
    ASSERT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    timeval tv = {5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setenv("NOTIFY_SOCKET", path_.c_str(), 1);
  }
  void TearDown() override {
    unsetenv("NOTIFY_SOCKET");
    if (fd_ >= 0) close(fd_);
    unlink(path_.c_str());
  }
  // The next datagram, or "" after 5 s.
  std::string Receive() {
    char buf[1024];
    ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  }

  std::string path_;
  int fd_ = -1;
};

TEST_F(NotifyTest, SendsEachStateWithAStatusLine) {
  NotifyReady("Serving on 127.0.0.1:9469");
  EXPECT_EQ(Receive(), "READY=1\nSTATUS=Serving on 127.0.0.1:9469");
  NotifyReloading();
  std::string reloading = Receive();
  EXPECT_EQ(reloading.rfind("RELOADING=1\n", 0), 0u) << reloading;
  EXPECT_NE(reloading.find("\nMONOTONIC_USEC="), std::string::npos) << reloading;
  NotifyWatchdog();
  EXPECT_EQ(Receive(), "WATCHDOG=1");
  NotifyStopping();
  EXPECT_EQ(Receive().rfind("STOPPING=1\n", 0), 0u);
}

TEST(Notify, AbstractSocketNamesWork) {
  const std::string name = "observd-notify-abstract-" + std::to_string(getpid());
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  name.copy(addr.sun_path + 1, name.size());  // sun_path[0] == '\0': abstract
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr),
                 static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size())),
            0);
  timeval tv = {5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setenv("NOTIFY_SOCKET", ("@" + name).c_str(), 1);
  NotifyWatchdog();
  char buf[64];
  ssize_t n = recv(fd, buf, sizeof(buf), 0);
  unsetenv("NOTIFY_SOCKET");
  close(fd);
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0), "WATCHDOG=1");
}

TEST(Notify, OutsideSystemdIsANoOp) {
  unsetenv("NOTIFY_SOCKET");
  NotifyReady("x");
  NotifyWatchdog();
  NotifyStopping();
  SUCCEED() << "no socket, no crash";
}

TEST(WatchdogInterval, FollowsWatchdogUsecForThisProcessOnly) {
  unsetenv("WATCHDOG_USEC");
  unsetenv("WATCHDOG_PID");
  EXPECT_EQ(WatchdogInterval().count(), 0);
  setenv("WATCHDOG_USEC", "2500000", 1);
  setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
  EXPECT_EQ(WatchdogInterval().count(), 2500000);
  setenv("WATCHDOG_PID", std::to_string(getpid() + 1).c_str(), 1);
  EXPECT_EQ(WatchdogInterval().count(), 0) << "another process's watchdog";
  setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
  setenv("WATCHDOG_USEC", "garbage", 1);
  EXPECT_EQ(WatchdogInterval().count(), 0);
  unsetenv("WATCHDOG_USEC");
  unsetenv("WATCHDOG_PID");
}

}  // namespace
}  // namespace observd
