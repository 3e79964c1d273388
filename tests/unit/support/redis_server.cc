#include "support/redis_server.h"

#include <hiredis/hiredis.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "support/loopback.h"

extern char** environ;

namespace observd::testing {
namespace {

constexpr auto kStartDeadline = std::chrono::seconds(10);
constexpr auto kStopDeadline = std::chrono::seconds(5);

struct ContextFree {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};

std::string ReplyText(const redisReply* r) {
  switch (r->type) {
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_STRING:
      return std::string(r->str, r->len);
    case REDIS_REPLY_INTEGER:
      return std::to_string(r->integer);
    case REDIS_REPLY_NIL:
      return "(nil)";
    case REDIS_REPLY_ERROR:
      return "(error) " + std::string(r->str, r->len);
    default:
      return "(array of " + std::to_string(r->elements) + ")";
  }
}

}  // namespace

RedisServer::RedisServer(Options options) : options_(std::move(options)) {
  char tmpl[] = "/tmp/observd-unit-redis-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    error_ = "mkdtemp failed";
    return;
  }
  dir_ = tmpl;
  signal(SIGPIPE, SIG_IGN);
  if (options_.port != 0) {
    port_ = options_.port;
    Launch();
    return;
  }
  // A port that was free may be taken before redis binds it: try a few.
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = FreeLoopbackPort();
    if (Launch()) return;
  }
}

RedisServer::~RedisServer() {
  Stop();
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

std::string RedisServer::Address() const {
  return "redis://127.0.0.1:" + std::to_string(port_) + "/0";
}

bool RedisServer::Start() {
  Stop();
  return Launch();
}

bool RedisServer::Launch() {
  error_.clear();
  std::vector<std::string> args = {"redis-server",
                                   "--port",
                                   std::to_string(port_),
                                   "--bind",
                                   "127.0.0.1",
                                   "--save",
                                   "",
                                   "--appendonly",
                                   "no",
                                   "--dir",
                                   dir_,
                                   "--daemonize",
                                   "no",
                                   "--logfile",
                                   dir_ + "/redis.log"};
  if (!options_.password.empty()) {
    args.push_back("--requirepass");
    args.push_back(options_.password);
  }
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (posix_spawnp(&pid_, "redis-server", nullptr, nullptr, argv.data(), environ) != 0) {
    pid_ = -1;
    error_ = "cannot spawn redis-server (is it installed?)";
    return false;
  }
  bool up = WaitFor(
      [&] {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = -1;
          return true;  // exited: stop waiting, reported below
        }
        return Command({"PING"}) == "PONG";
      },
      kStartDeadline);
  if (up && pid_ > 0) return true;
  error_ =
      "redis-server on port " + std::to_string(port_) + " did not answer PING; log:\n" + LogTail();
  Stop();
  return false;
}

void RedisServer::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  bool gone = WaitFor([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, kStopDeadline);
  if (!gone) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
  pid_ = -1;
}

std::string RedisServer::Command(const std::vector<std::string>& args) const {
  timeval tv = {1, 0};
  std::unique_ptr<redisContext, ContextFree> ctx(redisConnectWithTimeout("127.0.0.1", port_, tv));
  if (!ctx || ctx->err) return "(io) " + std::string(ctx ? ctx->errstr : "out of memory");
  redisSetTimeout(ctx.get(), tv);
  auto run = [&](const std::vector<std::string>& cmd) -> std::string {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : cmd) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    std::unique_ptr<redisReply, ReplyFree> reply(static_cast<redisReply*>(
        redisCommandArgv(ctx.get(), static_cast<int>(argv.size()), argv.data(), lens.data())));
    if (!reply) return "(io) " + std::string(ctx->errstr);
    return ReplyText(reply.get());
  };
  if (!options_.password.empty()) {
    std::string auth = run({"AUTH", options_.password});
    if (auth != "OK") return auth;
  }
  return run(args);
}

std::string RedisServer::LogTail() const {
  std::ifstream in(dir_ + "/redis.log");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string log = ss.str();
  return log.size() > 2000 ? log.substr(log.size() - 2000) : log;
}

}  // namespace observd::testing
