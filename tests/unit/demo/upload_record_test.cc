// Tests of demo/upload_record.h: content types and generated upload records.
#include "demo/upload_record.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace observd::demo {
namespace {

constexpr int64_t kNow = 1'780'000'000;  // 2026-05-28

TEST(ContentTypeFor, MatchesExtensionsCaseInsensitively) {
  EXPECT_EQ(ContentTypeFor("quarterly-report-2026-Q3.pdf"), "application/pdf");
  EXPECT_EQ(ContentTypeFor("IMG_4821.jpg"), "image/jpeg");
  EXPECT_EQ(ContentTypeFor("DSC00012.JPG"), "image/jpeg");
  EXPECT_EQ(ContentTypeFor("dataset_v2.csv.gz"), "application/gzip");
  EXPECT_EQ(ContentTypeFor("export.csv"), "text/csv");
  EXPECT_EQ(ContentTypeFor("IMG_1234.MOV"), "video/quicktime");
  EXPECT_EQ(ContentTypeFor("no-extension"), "application/octet-stream");
}

TEST(MakeUpload, HasEveryFieldInRange) {
  Rng rng(42);
  std::set<std::string> ids;
  int failed = 0;
  for (int i = 0; i < 5000; ++i) {
    UploadRecord u = MakeUpload(rng, kNow - i, "alice");
    EXPECT_THAT(u.id, ::testing::MatchesRegex("u-[0-9a-f]{16}"));
    ids.insert(u.id);
    EXPECT_FALSE(u.filename.empty());
    EXPECT_EQ(u.content_type, ContentTypeFor(u.filename)) << u.filename;
    EXPECT_NE(u.content_type, "application/octet-stream") << u.filename;
    EXPECT_GE(u.size, kMinUploadSize);
    EXPECT_LE(u.size, kMaxUploadSize);
    EXPECT_EQ(u.user, "alice");
    EXPECT_EQ(u.created_at, kNow - i);
    EXPECT_TRUE(u.status == "stored" || u.status == "failed") << u.status;
    failed += u.status == "failed";
  }
  EXPECT_EQ(ids.size(), 5000u);
  EXPECT_GT(failed, 50);  // ~3 % of 5000 = 150.
  EXPECT_LT(failed, 300);
}

TEST(MakeUpload, IsDeterministicForASeed) {
  Rng a(7), b(7), c(8);
  for (int i = 0; i < 100; ++i) {
    UploadRecord x = MakeUpload(a, kNow, "bob"), y = MakeUpload(b, kNow, "bob");
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.filename, y.filename);
    EXPECT_EQ(x.size, y.size);
    EXPECT_EQ(x.status, y.status);
  }
  EXPECT_NE(MakeUpload(a, kNow, "bob").id, MakeUpload(c, kNow, "bob").id);
}

}  // namespace
}  // namespace observd::demo
