// Tests of store/schema.h: PrepareSchema stamps a new file, keeps its hands off files it
// cannot read (not a database, another application's, a newer schema) and says so.
#include "store/schema.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "store/history_store.h"
#include "support/history_store_fixture.h"

namespace observd {
namespace {

namespace fs = std::filesystem;

TEST_F(HistoryStoreTest, RefusesAFileThatIsNotADatabase) {
  std::ofstream(path_) << std::string(8192, 'x');
  auto store = HistoryStore::Open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().find(path_), std::string::npos) << store.error();
  EXPECT_NE(store.error().find("not a database"), std::string::npos) << store.error();
  EXPECT_EQ(fs::file_size(path_), 8192u);  // never overwritten
}

TEST_F(HistoryStoreTest, RefusesAnotherApplicationsDatabase) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE customers(id)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = HistoryStore::Open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().find("not an observd history file"), std::string::npos) << store.error();
}

TEST_F(HistoryStoreTest, RefusesANewerSchemaAndMigratesNothing) {
  ASSERT_TRUE(HistoryStore::Open(path_).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 7", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = HistoryStore::Open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().find("newer observd (schema 7"), std::string::npos) << store.error();
}

// A store whose pages were damaged after it was written (a disk error, a copy taken
// mid-write): quick_check finds it, Open refuses it with the path, and the file is left
// exactly as it was, for whoever wants to rescue it.
TEST_F(HistoryStoreTest, RefusesACorruptFileAndLeavesItAsItWas) {
  ASSERT_TRUE(HistoryStore::Open(path_).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  // Enough rows for many pages beyond the schema's, then everything back in the main file.
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE filler(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                         "SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO filler SELECT "
                         "randomblob(100) FROM n; PRAGMA wal_checkpoint(TRUNCATE);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const auto size = fs::file_size(path_);
  ASSERT_GT(size, 40u * 4096);
  {
    // Garbage over a page in the middle of the table's b-tree (not the header page).
    std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2 / 4096 * 4096));
    const std::string garbage(4096, '\xA5');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  std::ifstream before_in(path_, std::ios::binary);
  const std::string before((std::istreambuf_iterator<char>(before_in)), {});
  auto store = HistoryStore::Open(path_);
  ASSERT_FALSE(store.ok()) << "a corrupt file was opened";
  EXPECT_NE(store.error().find(path_), std::string::npos) << store.error();
  const bool said = store.error().find("corrupt") != std::string::npos ||
                    store.error().find("malformed") != std::string::npos;
  EXPECT_TRUE(said) << store.error();
  std::ifstream after_in(path_, std::ios::binary);
  const std::string after((std::istreambuf_iterator<char>(after_in)), {});
  EXPECT_TRUE(after == before) << "the corrupt file was changed";
}

// PrepareSchema called directly on a connection.
class SchemaTest : public HistoryStoreTest {};

constexpr int32_t kTestApp = 0x0b5e7d;

TEST_F(SchemaTest, PrepareSchemaStampsANewFileAndIsIdempotent) {
  auto db = Db::Open(path_, /*create=*/true);
  ASSERT_TRUE(db) << db.error();
  ASSERT_TRUE(PrepareSchema(db->get(), 1, kTestApp)) << "a new, empty file";
  EXPECT_EQ(**(*db)->QueryInt("PRAGMA user_version"), 1);
  EXPECT_EQ(**(*db)->QueryInt("PRAGMA application_id"), kTestApp);
  EXPECT_EQ(*(*db)->QueryText("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(**(*db)->QueryInt("SELECT count(*) FROM sqlite_master WHERE name = 'minutes'"), 1);
  auto again = PrepareSchema(db->get(), 1, kTestApp);
  EXPECT_TRUE(again) << again.error() << ": an up-to-date file is left as it is";
  auto other = PrepareSchema(db->get(), 1, kTestApp + 1);
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().find("(application_id " + std::to_string(kTestApp) + ")"),
            std::string::npos)
      << other.error();
}

TEST_F(SchemaTest, PrepareSchemaRefusesAVersionItHasNoStepFor) {
  auto db = Db::Open(path_, /*create=*/true);
  ASSERT_TRUE(db) << db.error();
  auto r = PrepareSchema(db->get(), 2, kTestApp);  // only version 1 is written down
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "no migration step");
  EXPECT_EQ(**(*db)->QueryInt("PRAGMA user_version"), 1) << "the steps it had are applied";
}

}  // namespace
}  // namespace observd
