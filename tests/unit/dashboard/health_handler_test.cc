// Tests of dashboard/health_handler.cc: liveness always, readiness only once bound and
// the first reads were attempted.
#include <gtest/gtest.h>

#include <string>

#include "dashboard/handlers.h"
#include "support/dashboard_handlers_fixture.h"

namespace observd {
namespace {

TEST_F(HandlersTest, ReadyOnlyOnceBoundAndFirstReadsAttempted) {
  EXPECT_EQ(handlers_.Healthy(Get()).status, 200);
  EXPECT_EQ(handlers_.Ready(Get()).status, 503);
  handlers_.SetReady(true);
  EXPECT_EQ(handlers_.Ready(Get()).status, 503);
  attempted_ = true;
  EXPECT_EQ(handlers_.Ready(Get()).status, 200);
}

}  // namespace
}  // namespace observd
