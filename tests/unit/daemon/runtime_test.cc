// Tests of daemon/runtime.h's reload rule: which settings a SIGHUP cannot change, as the
// settings table (config/settings.h) marks them.
#include "daemon/runtime.h"

#include <gtest/gtest.h>

#include "config/settings.h"

namespace observd {
namespace {

TEST(RuntimeTest, RestartOnlyDiffNamesTheChangedRestartOnlyKeys) {
  Config running, next;
  EXPECT_EQ(RestartOnlyDiff(running, next), "");
  next.web.listen_address = "127.0.0.1:1";
  next.redis.connect_timeout = Millis(1);
  next.log.level = "debug";                // applied on SIGHUP
  next.cache.stale_after = Millis(90000);  // applied on SIGHUP
  EXPECT_EQ(RestartOnlyDiff(running, next), "web.listen_address, redis.connect_timeout");
}

TEST(RuntimeTest, KeepRestartOnlyKeepsExactlyTheRestartOnlySettings) {
  Config running;
  Config next;
  next.web.num_threads = 100;
  next.sampler.history = Millis(60000);
  next.keys.workflow_statuses = {"done"};
  next.web.latency_warn_ms = 7;
  const Config kept = KeepRestartOnly(running, next);
  EXPECT_EQ(kept.web.num_threads, running.web.num_threads);
  EXPECT_EQ(kept.sampler.history, running.sampler.history);
  EXPECT_EQ(kept.keys.workflow_statuses, next.keys.workflow_statuses);
  EXPECT_EQ(kept.web.latency_warn_ms, 7);
  // Every row: restart-only ones come from `running`, the rest from `next`.
  Config changed;
  for (const Setting& s : Settings()) {
    if (!SetSettingFromText(s, "1", &changed).ok()) {
      ASSERT_TRUE(SetSettingFromText(s, "1ms", &changed).ok()) << s.key;  // a duration
    }
  }
  const Config result = KeepRestartOnly(running, changed);
  for (const Setting& s : Settings()) {
    const Config& want = s.reload == Reload::kRestart ? running : changed;
    EXPECT_FALSE(SettingDiffers(s, result, want)) << s.key;
  }
}

}  // namespace
}  // namespace observd
