// observd-demo: fills Redis with the application data observd watches (uploads, active
// users, workflow runs; see DESIGN.md "Redis data contract") so that a fresh install has
// live dashboards. This file is flags, the main loop and signal handling; the traffic
// model is in traffic.cc and the connection in redis_pipe.cc.

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <thread>

#include "demo/redis_pipe.h"
#include "demo/traffic.h"
#include "util/duration.h"
#include "util/redis_address.h"
#include "util/secret_file.h"

namespace observd::demo {
namespace {

// The one piece of global state: set by the signal handler, polled by the loops.
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void OnSignal(int) { g_stop.store(true); }

double Now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void Log(const char* level, const std::string& msg) {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char ts[32];
  std::strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::fprintf(stderr, "ts=%s level=%s caller=observd-demo %s\n", ts, level, msg.c_str());
}

// Sleeps up to `seconds`, waking early when a signal asks us to stop.
void SleepFor(double seconds) {
  const double until = Now() + seconds;
  while (!g_stop.load() && Now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// A Prometheus duration (util/duration.h) in seconds; -1 when malformed.
double DurationSeconds(const std::string& text) {
  std::optional<Millis> d = ParseDuration(text);
  return d ? static_cast<double>(d->count()) / 1000.0 : -1;
}

struct Options {
  std::string redis_addr = "redis://127.0.0.1:6379/0";
  std::string password_file;
  double rate = 2;
  int64_t backfill = 2000;
  std::string duration = "0";
  uint64_t seed = 0;
  bool seed_given = false;
  std::string key_prefix;
  bool hostile = false;
  bool once = false;
  std::string trim_after = "0";
};

// Connects, retrying with exponential backoff (0.5 s .. 10 s). Logs the first failure and
// the recovery only, not every attempt. Gives up after `give_up_after` seconds (< 0: never)
// or on a stop signal; returns whether connected.
bool EnsureConnected(RedisPipe& pipe, double give_up_after) {
  if (pipe.connected()) return true;
  const double start = Now();
  double backoff = 0.5;
  bool logged = false;
  while (!g_stop.load()) {
    const std::string error = pipe.Connect();
    if (error.empty()) {
      if (logged) Log("info", "msg=\"redis reachable again\"");
      return true;
    }
    if (!logged) {
      Log("warn", "msg=\"redis unavailable, retrying with backoff\" err=\"" + error + "\"");
      logged = true;
    }
    if (give_up_after >= 0 && Now() - start > give_up_after) return false;
    SleepFor(backoff);
    backoff = std::min(backoff * 2, 10.0);
  }
  return false;
}

// Removes uploads older than `cutoff` (timeline member and hash) and finished runs, in
// bounded chunks so a huge timeline never blocks Redis for long.
void TrimOlderThan(RedisPipe& pipe, const Keys& keys, double cutoff) {
  const std::string max = "(" + std::to_string(static_cast<int64_t>(cutoff));
  int64_t removed = 0;
  while (!g_stop.load()) {
    ReplyPtr ids = pipe.Call({"ZRANGEBYSCORE", keys.timeline, "-inf", max, "LIMIT", "0", "1000"});
    if (!ids || ids->type != REDIS_REPLY_ARRAY || ids->elements == 0) break;
    Command del = {"DEL"};
    Command zrem = {"ZREM", keys.timeline};
    for (size_t i = 0; i < ids->elements; ++i) {
      std::string id(ids->element[i]->str, ids->element[i]->len);
      del.push_back(keys.Upload(id));
      zrem.push_back(std::move(id));
    }
    pipe.Append(del);
    pipe.Append(zrem);
    removed += static_cast<int64_t>(ids->elements);
    if (!pipe.Flush() || ids->elements < 1000) break;
  }
  pipe.Append({"ZREMRANGEBYSCORE", keys.runs_succeeded, "-inf", max});
  pipe.Append({"ZREMRANGEBYSCORE", keys.runs_failed, "-inf", max});
  pipe.Flush();
  if (removed > 0) Log("info", "msg=trimmed uploads_removed=" + std::to_string(removed));
}

void InstallSignalHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

// What a run needs once the options are parsed: where to write, how long, how often
// to trim. Returns 0, or the exit code after logging the problem.
struct Plan {
  RedisAddress address;
  std::string password;
  double duration = 0;    // seconds; 0 = until stopped
  double trim_after = 0;  // seconds; 0 = never
};
int MakePlan(const Options& o, Plan* plan) {
  Result<RedisAddress> address = ParseRedisAddress(o.redis_addr);
  if (!address.ok()) {
    Log("error", "msg=\"bad --redis.addr\" err=\"" + address.error() + "\"");
    return 2;
  }
  plan->address = *address;
  plan->duration = DurationSeconds(o.duration);
  plan->trim_after = DurationSeconds(o.trim_after);
  if (plan->duration < 0 || plan->trim_after < 0) {
    Log("error", "msg=\"bad --duration or --trim-after (want e.g. 90s, 15m, 12h, 7d)\"");
    return 2;
  }
  if (!o.password_file.empty()) {
    Result<std::string> password = ReadSecretFile(o.password_file);
    if (!password.ok()) {
      Log("error", "msg=\"bad --redis.password-file\" err=\"" + password.error() + "\"");
      return 2;
    }
    plan->password = std::move(*password);
  }
  return 0;
}

// Writes the backfill (and the hostile records) and reports how fast it went.
template <typename Sink>
void Backfill(const Options& o, TrafficGenerator& gen, RedisPipe& pipe, Sink& sink) {
  const double t0 = Now();
  gen.Backfill(o.backfill, sink);
  if (o.hostile) gen.WriteHostile(sink);
  pipe.Flush();
  const double took = Now() - t0;
  char line[200];
  std::snprintf(line, sizeof(line),
                "msg=backfilled uploads=%lld runs=%lld seconds=%.2f uploads_per_second=%.0f",
                static_cast<long long>(o.backfill),
                static_cast<long long>(gen.counters().runs_started), took,
                took > 0 ? o.backfill / took : 0.0);
  Log("info", line);
  if (pipe.reply_errors() > 0) {
    Log("warn", "msg=\"redis rejected commands\" count=" + std::to_string(pipe.reply_errors()) +
                    " first=\"" + pipe.first_reply_error() + "\"");
  }
}

// Live traffic until stopped or `plan.duration` is over; logs every 10 s, trims every 60 s.
template <typename Sink>
void LiveTraffic(const Plan& plan, const Keys& keys, TrafficGenerator& gen, RedisPipe& pipe,
                 Sink& sink) {
  const double start = Now();
  double next_log = start + 10, next_trim = start + 60;
  while (!g_stop.load() && (plan.duration == 0 || Now() - start < plan.duration)) {
    if (!EnsureConnected(pipe, -1)) break;
    gen.Tick(sink);
    pipe.Flush();
    const double now = Now();
    if (now >= next_log) {
      next_log += 10;
      Log("info", "uploads=" + std::to_string(gen.counters().uploads) +
                      " runs=" + std::to_string(gen.counters().runs_started) +
                      " active_users=" + std::to_string(gen.active_users()) +
                      " redis_up=" + (pipe.connected() ? "1" : "0"));
    }
    if (plan.trim_after > 0 && now >= next_trim) {
      next_trim += 60;
      TrimOlderThan(pipe, keys, now - plan.trim_after);
    }
    SleepFor(0.1);
  }
}

int Run(const Options& o) {
  Plan plan;
  if (int code = MakePlan(o, &plan); code != 0) return code;
  InstallSignalHandlers();
  const uint64_t seed = o.seed_given ? o.seed : std::random_device{}();
  const Keys keys(o.key_prefix);
  TrafficOptions traffic;
  traffic.uploads_per_second = o.rate;
  TrafficGenerator gen(keys, traffic, Rng(seed), Now);
  RedisPipe pipe(plan.address, plan.address.username, plan.password, 1000);
  // --once is a batch job: fail after a while instead of waiting forever.
  const double give_up = o.once ? 15 : -1;
  auto sink = [&](const Command& c) {
    if (g_stop.load()) return;  // finish quickly once asked to stop.
    if (!pipe.connected()) EnsureConnected(pipe, give_up);
    pipe.Append(c);
  };

  Log("info", "msg=starting redis_addr=" + o.redis_addr + " seed=" + std::to_string(seed) +
                  " key_prefix=\"" + o.key_prefix + "\"");
  if (!EnsureConnected(pipe, give_up)) return g_stop.load() ? 0 : 1;
  Backfill(o, gen, pipe, sink);
  if (plan.trim_after > 0) TrimOlderThan(pipe, keys, Now() - plan.trim_after);
  if (o.once || g_stop.load()) return pipe.dropped() == 0 && pipe.connected() ? 0 : 1;

  LiveTraffic(plan, keys, gen, pipe, sink);
  g_stop.store(false);  // let Settle()'s commands through the sink.
  if (pipe.connected()) gen.Settle(sink);
  pipe.Flush();
  Log("info", "msg=stopped uploads=" + std::to_string(gen.counters().uploads) +
                  " runs=" + std::to_string(gen.counters().runs_started));
  return 0;
}

constexpr char kFooter[] = R"(
Writes the application data of observd's Redis data contract:
  uploads:timeline         ZSET  member = upload id (u-<16 hex>), score = unix seconds
  upload:<id>              HASH  filename, size, content_type, user, status, created_at
  users:active             SET   10..40 users joining and leaving over time
  workflows:runs:<status>  ZSET  running -> succeeded (~90 %) or failed, score = time
Every key name gets --key-prefix in front. At start the active-user set is reset and
--backfill uploads are written, spread over the last 24 h, with half as many workflow
runs; then live traffic follows at --rate uploads/s (some pass through "processing"
for a few seconds, ~3 % fail) until --duration elapses or SIGINT/SIGTERM.
If Redis goes away the tool logs once and reconnects with backoff (live mode retries
forever; --once gives up after 15 s and exits 1). Durations as in Prometheus: 90s, 15m,
12h, 7d, 1h30m (0 = none).
Logs to stderr: one status line every 10 s.)";

}  // namespace
}  // namespace observd::demo

int main(int argc, char** argv) {
  using observd::demo::kFooter;
  observd::demo::Options o;
  CLI::App app{"observd-demo: realistic traffic generator for observd's Redis data."};
  app.footer(kFooter);
  app.add_option("--redis.addr", o.redis_addr,
                 "redis://[user@]host:port/db, unix:///path[?db=N] or "
                 "redis-sentinel://[user@]host:port[,...]/master/db")
      ->capture_default_str();
  app.add_option("--redis.password-file", o.password_file,
                 "File holding the Redis password (AUTH); never given on the command line")
      ->check(CLI::ExistingFile);
  app.add_option("--rate", o.rate, "Live uploads per second (fractional ok, 0 = none)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 100000.0));
  app.add_option("--backfill", o.backfill, "Historic uploads to write at start, over the last 24 h")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{100'000'000}));
  app.add_option("--duration", o.duration, "How long to run live traffic (0 = until signalled)")
      ->capture_default_str();
  app.add_option("--seed", o.seed, "Seed for a reproducible run (default: random, logged)")
      ->each([&o](const std::string&) { o.seed_given = true; });
  app.add_option("--key-prefix", o.key_prefix, "Prefix for every key (isolates tests)");
  app.add_flag("--hostile", o.hostile,
               "Also write hostile records (HTML/script names, garbage sizes, bad UTF-8, NUL, "
               "300 KB name, missing fields, timeline member without hash)");
  app.add_flag("--once", o.once, "Backfill (and --hostile, --trim-after), then exit");
  app.add_option("--trim-after", o.trim_after,
                 "Delete uploads (and finished runs) older than this, e.g. 7d (0 = keep)")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return observd::demo::Run(o);
}
