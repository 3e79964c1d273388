// A real redis-server for the unit tests that need one (suites named "...Live",
// ctest label "redis"), on a free loopback port in its own temp dir. The object
// owns the process and stops it in its destructor. Not thread-safe: one owner.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace observd::testing {

class RedisServer {
 public:
  struct Options {
    int port = 0;                         // 0: a free loopback port
    std::string password;                 // --requirepass when not empty
    std::vector<std::string> extra_args;  // appended to the command line

    Options& WithPort(int p) {
      port = p;
      return *this;
    }
    Options& WithPassword(std::string p) {
      password = std::move(p);
      return *this;
    }
    Options& WithArgs(std::vector<std::string> a) {
      extra_args = std::move(a);
      return *this;
    }
  };

  // Starts redis-server and waits until it answers PING. On failure ok() is false
  // and error() says why (with the end of the server's log). Ignores SIGPIPE in
  // this process, as the daemon does: a write to a stopped server must not kill it.
  explicit RedisServer(Options options);
  RedisServer() : RedisServer(Options{}) {}
  ~RedisServer();  // Stop(), then removes the temp dir.
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  std::string Address() const;  // "redis://127.0.0.1:<port>/0"

  // SIGTERM and wait (SIGKILL after a deadline). Idempotent.
  void Stop();
  // Starts again on the same port; returns ok().
  bool Start();

  // Runs one command on a fresh connection (with AUTH when a password is set) and
  // returns the reply as text: a status, string or integer as written, "(nil)",
  // "(error) <message>", or "(io) <message>" when the server could not be reached.
  std::string Command(const std::vector<std::string>& args) const;

 private:
  bool Launch();
  std::string LogTail() const;

  const Options options_;
  int port_ = 0;
  std::string dir_;
  pid_t pid_ = -1;
  std::string error_;
};

}  // namespace observd::testing
