// TrafficGenerator owns the synthetic application behind observd-demo: upload records,
// the sliding set of active users and the lifecycle of workflow runs, emitted as Redis
// commands (plain data) into a caller-supplied sink. It does no I/O; randomness and time
// are injected, so a seed and a clock reproduce the same commands. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "demo/upload_record.h"

namespace observd::demo {

// One Redis command as binary-safe arguments, e.g. {"ZADD", "uploads:timeline", "17", "u-.."}.
using Command = std::vector<std::string>;
// Receives each command in order; the caller pipelines them.
using CommandSink = std::function<void(const Command&)>;
// Returns the current time as unix seconds.
using Clock = std::function<double()>;

// Key names of the Redis data contract, each with an optional prefix for test isolation.
struct Keys {
  explicit Keys(std::string prefix = "");
  std::string timeline;                                   // ZSET uploads:timeline
  std::string active_users;                               // SET users:active
  std::string runs_succeeded, runs_failed, runs_running;  // ZSETs workflows:runs:<status>
  std::string Upload(std::string_view id) const { return upload_prefix + std::string(id); }
  std::string upload_prefix;  // "upload:"
};

struct TrafficOptions {
  double uploads_per_second = 2;
  double runs_per_upload = 0.5;    // workflow runs started per upload, on average.
  double run_failure_ratio = 0.1;  // finished runs that fail.
  double processing_ratio = 0.2;   // live uploads that pass through "processing".
  int min_active_users = 10;
  int max_active_users = 40;
};

struct TrafficCounters {
  int64_t uploads = 0;
  int64_t runs_started = 0;
  int64_t runs_finished = 0;
};

class TrafficGenerator {
 public:
  // Keeps `clock` for the lifetime of the generator; `rng` is moved in.
  TrafficGenerator(Keys keys, TrafficOptions options, Rng rng, Clock clock);
  TrafficGenerator(const TrafficGenerator&) = delete;
  TrafficGenerator& operator=(const TrafficGenerator&) = delete;

  // Resets the active-user set and writes `uploads` historic uploads spread over the last
  // 24 h (busier in the afternoon, UTC) plus proportionally many finished workflow runs;
  // runs whose finish lies in the future stay "running" and are finished by Tick().
  void Backfill(int64_t uploads, const CommandSink& sink);

  // Advances the live model to the clock's now: new uploads (Poisson at the configured
  // rate), "processing" uploads that settle, users joining or leaving, runs that start or
  // finish. Call it often (every ~100 ms); the output does not depend on the call cadence.
  void Tick(const CommandSink& sink);

  // Writes records meant to break careless renderers: script/HTML in a filename, missing
  // fields, non-numeric, negative and NaN sizes, invalid UTF-8 and a NUL byte, a 300 KB
  // filename and a timeline member without a hash. Ids start with "u-hostile-".
  void WriteHostile(const CommandSink& sink);

  // Finishes now everything still in flight (running runs, "processing" uploads) so a
  // stopped generator leaves no run "running" forever. Call before exiting.
  void Settle(const CommandSink& sink);

  const TrafficCounters& counters() const { return counters_; }
  size_t active_users() const { return active_.size(); }

 private:
  struct Pending {
    double due;
    std::string id;
    std::string final_status;  // for uploads: the status; for runs: "succeeded"/"failed".
    bool is_run;
  };

  void EmitUpload(const UploadRecord& upload, const CommandSink& sink);
  Pending NewRun(double started);  // draws id, duration and outcome.
  void StartRun(double started, const CommandSink& sink);
  void FinishRun(double finished, const std::string& id, const std::string& status,
                 const CommandSink& sink);
  void ChangeActiveUsers(const CommandSink& sink);
  const std::string& PickUser();
  double BusyBackfillTime(double now);

  const Keys keys_;
  const TrafficOptions options_;
  Rng rng_;
  const Clock clock_;
  std::vector<std::string> active_;
  std::vector<Pending> pending_;  // unordered; small (seconds of traffic).
  double next_upload_ = 0, next_run_ = 0, next_user_change_ = 0;
  bool started_ = false;
  TrafficCounters counters_;
};

}  // namespace observd::demo
