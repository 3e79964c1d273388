// The traffic model of observd-demo: what a small file-sharing application would write
// to Redis over time, as a discrete-event simulation (uploads arrive as a Poisson
// process, runs take log-normal time, users drift in and out, the backfill follows a
// day curve).

#include "demo/traffic.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace observd::demo {
namespace {

std::string Score(double unix_seconds) {
  return std::to_string(static_cast<int64_t>(std::floor(unix_seconds)));
}

double RunDuration(Rng& rng) {
  return std::clamp(std::exp(std::log(6.0) + 0.6 * rng.Normal()), 1.0, 60.0);
}

}  // namespace

Keys::Keys(std::string prefix)
    : timeline(prefix + "uploads:timeline"),
      active_users(prefix + "users:active"),
      runs_succeeded(prefix + "workflows:runs:succeeded"),
      runs_failed(prefix + "workflows:runs:failed"),
      runs_running(prefix + "workflows:runs:running"),
      upload_prefix(prefix + "upload:") {}

// ---------------------------------------------------------------- TrafficGenerator

TrafficGenerator::TrafficGenerator(Keys keys, TrafficOptions options, Rng rng, Clock clock)
    : keys_(std::move(keys)), options_(options), rng_(std::move(rng)), clock_(std::move(clock)) {}

void TrafficGenerator::EmitUpload(const UploadRecord& u, const CommandSink& sink) {
  sink({"ZADD", keys_.timeline, std::to_string(u.created_at), u.id});
  sink({"HSET", keys_.Upload(u.id), "filename", u.filename, "size", std::to_string(u.size),
        "content_type", u.content_type, "user", u.user, "status", u.status, "created_at",
        std::to_string(u.created_at)});
  ++counters_.uploads;
}

TrafficGenerator::Pending TrafficGenerator::NewRun(double started) {
  std::string id = "run-" + rng_.Hex(16);
  const double finish = started + RunDuration(rng_);
  std::string status = rng_.Chance(options_.run_failure_ratio) ? "failed" : "succeeded";
  ++counters_.runs_started;
  return {finish, std::move(id), std::move(status), true};
}

void TrafficGenerator::StartRun(double started, const CommandSink& sink) {
  Pending run = NewRun(started);
  sink({"ZADD", keys_.runs_running, Score(started), run.id});
  pending_.push_back(std::move(run));
}

void TrafficGenerator::FinishRun(double finished, const std::string& id, const std::string& status,
                                 const CommandSink& sink) {
  // MULTI/EXEC so a reader never sees the run in neither or both sets.
  sink({"MULTI"});
  sink({"ZREM", keys_.runs_running, id});
  sink(
      {"ZADD", status == "failed" ? keys_.runs_failed : keys_.runs_succeeded, Score(finished), id});
  sink({"EXEC"});
  ++counters_.runs_finished;
}

const std::string& TrafficGenerator::PickUser() {
  if (active_.empty()) return PickPoolUser(rng_);
  return active_[rng_.Below(active_.size())];
}

void TrafficGenerator::ChangeActiveUsers(const CommandSink& sink) {
  const int n = static_cast<int>(active_.size());
  const int mid = (options_.min_active_users + options_.max_active_users) / 2;
  const bool join = n <= options_.min_active_users   ? true
                    : n >= options_.max_active_users ? false
                                                     : rng_.Chance(0.5 + 0.02 * (mid - n));
  if (join) {
    if (active_.size() >= UserPool().size()) return;
    std::string user = PickPoolUser(rng_);
    while (std::find(active_.begin(), active_.end(), user) != active_.end()) {
      user = UserPool()[rng_.Below(UserPool().size())];
    }
    sink({"SADD", keys_.active_users, user});
    active_.push_back(std::move(user));
  } else if (!active_.empty()) {
    const size_t i = rng_.Below(active_.size());
    sink({"SREM", keys_.active_users, active_[i]});
    active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

double TrafficGenerator::BusyBackfillTime(double now) {
  // Rejection sampling of a day curve: quietest at 03:00 UTC, busiest at 15:00 UTC.
  while (true) {
    const double t = now - 86400.0 * rng_.Unit();
    const double hour = std::fmod(t, 86400.0) / 3600.0;
    const double weight =
        0.3 + 0.7 * (0.5 - 0.5 * std::cos(2 * std::numbers::pi * (hour - 3) / 24));
    if (rng_.Unit() < weight) return t;
  }
}

void TrafficGenerator::Backfill(int64_t uploads, const CommandSink& sink) {
  const double now = clock_();
  sink({"DEL", keys_.active_users});
  active_.clear();
  while (static_cast<int>(active_.size()) < options_.min_active_users + 5) {
    ChangeActiveUsers(sink);
  }
  for (int64_t i = 0; i < uploads; ++i) {
    const double t = BusyBackfillTime(now);
    EmitUpload(MakeUpload(rng_, static_cast<int64_t>(t), PickPoolUser(rng_)), sink);
  }
  const auto runs = static_cast<int64_t>(std::llround(uploads * options_.runs_per_upload));
  for (int64_t i = 0; i < runs; ++i) {
    const double started = BusyBackfillTime(now);
    Pending run = NewRun(started);
    if (run.due > now) {
      sink({"ZADD", keys_.runs_running, Score(started), run.id});
      pending_.push_back(std::move(run));
    } else {  // already over: straight into its final set.
      sink({"ZADD", run.final_status == "failed" ? keys_.runs_failed : keys_.runs_succeeded,
            Score(run.due), run.id});
      ++counters_.runs_finished;
    }
  }
}

void TrafficGenerator::Tick(const CommandSink& sink) {
  const double now = clock_();
  if (!started_) {
    started_ = true;
    const double rate = options_.uploads_per_second;
    next_upload_ = rate > 0 ? now + rng_.Exponential(1 / rate) : INFINITY;
    const double run_rate = rate * options_.runs_per_upload;
    next_run_ = run_rate > 0 ? now + rng_.Exponential(1 / run_rate) : INFINITY;
    next_user_change_ = now + rng_.Exponential(4.0);
  }
  // A discrete-event loop: always handle the earliest due event, so the commands depend
  // only on the clock readings, not on how often Tick() runs.
  while (true) {
    auto due = std::min_element(pending_.begin(), pending_.end(),
                                [](const Pending& a, const Pending& b) { return a.due < b.due; });
    const double pending_at = due == pending_.end() ? INFINITY : due->due;
    const double next = std::min({next_upload_, next_run_, next_user_change_, pending_at});
    if (next > now) return;
    if (next == pending_at) {
      Pending p = std::move(*due);
      pending_.erase(due);
      if (p.is_run) {
        FinishRun(p.due, p.id, p.final_status, sink);
      } else {
        sink({"HSET", keys_.Upload(p.id), "status", p.final_status});
      }
    } else if (next == next_upload_) {
      UploadRecord u = MakeUpload(rng_, static_cast<int64_t>(next_upload_), PickUser());
      if (rng_.Chance(options_.processing_ratio)) {
        pending_.push_back({next_upload_ + 2 + 6 * rng_.Unit(), u.id, u.status, false});
        u.status = "processing";
      }
      EmitUpload(u, sink);
      next_upload_ += rng_.Exponential(1 / options_.uploads_per_second);
    } else if (next == next_run_) {
      StartRun(next_run_, sink);
      next_run_ += rng_.Exponential(1 / (options_.uploads_per_second * options_.runs_per_upload));
    } else {
      ChangeActiveUsers(sink);
      next_user_change_ += rng_.Exponential(4.0);
    }
  }
}

void TrafficGenerator::Settle(const CommandSink& sink) {
  const double now = clock_();
  for (const Pending& p : pending_) {
    if (p.is_run) {
      FinishRun(std::min(now, p.due), p.id, p.final_status, sink);
    } else {
      sink({"HSET", keys_.Upload(p.id), "status", p.final_status});
    }
  }
  pending_.clear();
}

void TrafficGenerator::WriteHostile(const CommandSink& sink) {
  const std::string now = Score(clock_());
  auto upload = [&](const std::string& id, std::vector<std::string> fields) {
    sink({"DEL", keys_.Upload(id)});
    Command hset = {"HSET", keys_.Upload(id)};
    hset.insert(hset.end(), fields.begin(), fields.end());
    sink(hset);
    sink({"ZADD", keys_.timeline, now, id});
  };
  auto normal = [&](const std::string& filename, const std::string& size) {
    return std::vector<std::string>{
        "filename", filename,  "size",   size,     "content_type", ContentTypeFor(filename),
        "user",     "mallory", "status", "stored", "created_at",   now};
  };
  upload("u-hostile-xss",
         {"filename", "<script>alert(1)</script><img src=x onerror=alert(2)>", "size", "1234",
          "content_type", "text/html\"><b>x</b>", "user", "\"><svg onload=alert(3)>", "status",
          "<i>stored</i>", "created_at", now});
  upload("u-hostile-missing", {"user", "mallory"});
  upload("u-hostile-size-abc", normal("abc-size.pdf", "abc"));
  upload("u-hostile-size-negative", normal("negative-size.pdf", "-4096"));
  upload("u-hostile-size-nan", normal("nan-size.pdf", "nan"));
  upload("u-hostile-size-overflow", normal("overflow-size.pdf", "99999999999999999999999"));
  static constexpr char kBadBytes[] = "bad\xff\xfe\xc3(\0name.txt";  // invalid UTF-8, NUL.
  upload("u-hostile-bytes", normal(std::string(kBadBytes, sizeof(kBadBytes) - 1), "2048"));
  upload("u-hostile-huge-name", normal(std::string(300 * 1024 - 4, 'x') + ".txt", "4096"));
  sink({"DEL", keys_.Upload("u-hostile-orphan")});
  sink({"ZADD", keys_.timeline, now, "u-hostile-orphan"});
}

}  // namespace observd::demo
