// Tests of store/sqlite.h: opening (created or not), the query helpers' answers for no
// row, NULL and 0, binding and reading back hostile values, and errors that name the file.
#include "store/sqlite.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace observd {
namespace {

namespace fs = std::filesystem;

class SqliteTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    path_ = (dir_ / "t.db").string();
  }
  std::unique_ptr<Db> OpenNew() {
    auto db = Db::Open(path_, /*create=*/true);
    EXPECT_TRUE(db) << db.error();
    return db ? std::move(*db) : nullptr;
  }
  std::string path_;
};

TEST_F(SqliteTest, OpenCreatesOnlyWhenAskedAndFailuresNameThePath) {
  auto missing = Db::Open(path_, /*create=*/false);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().rfind(path_ + ": cannot open: ", 0), 0u) << missing.error();
  EXPECT_FALSE(fs::exists(path_)) << "not created";
  auto nodir = Db::Open((dir_ / "no" / "such" / "t.db").string(), /*create=*/true);
  ASSERT_FALSE(nodir);
  EXPECT_NE(nodir.error().find("/no/such/t.db: cannot open"), std::string::npos);
  auto db = Db::Open(path_, /*create=*/true);
  ASSERT_TRUE(db) << db.error();
  EXPECT_EQ((*db)->path(), path_);
  EXPECT_TRUE(Db::Open(path_, /*create=*/false)) << "exists now";
}

TEST_F(SqliteTest, QueryIntTellsNoRowAndNullFromZero) {
  auto db = OpenNew();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->Exec("CREATE TABLE t(v INTEGER); CREATE TABLE e(v INTEGER)"));
  EXPECT_EQ(*db->QueryInt("SELECT v FROM e"), std::nullopt) << "no row";
  EXPECT_EQ(*db->QueryInt("SELECT min(v) FROM e"), std::nullopt) << "NULL";
  EXPECT_EQ(*db->QueryInt("SELECT 0"), std::optional<int64_t>(0)) << "0 is a value";
  EXPECT_EQ(*db->QueryInt("SELECT 9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(*db->QueryInt("SELECT -9223372036854775808"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(*db->QueryText("SELECT 'x' FROM e"), "") << "no row";
  EXPECT_EQ(*db->QueryText("SELECT NULL"), "");
  EXPECT_EQ(*db->QueryText("SELECT 'é' || char(0) || 'z'"), std::string("é\0z", 4));
}

TEST_F(SqliteTest, ErrorsNameTheFileAndSqlitesReason) {
  auto db = OpenNew();
  ASSERT_TRUE(db);
  auto bad = db->QueryInt("SELECT FROM nowhere");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().rfind(path_ + ": cannot prepare a statement: ", 0), 0u) << bad.error();
  auto exec = db->Exec("CREATE TABLE t(v); CREATE TABLE t(v)");
  ASSERT_FALSE(exec);
  EXPECT_EQ(exec.error(), path_ + ": table t already exists");
  EXPECT_EQ(db->Failure("what").message.rfind(path_ + ": what: ", 0), 0u);
  auto empty = db->QueryInt("");  // prepares to no statement at all: no value, no crash
  EXPECT_FALSE(empty.ok() && empty->has_value());
}

TEST_F(SqliteTest, BoundValuesReadBackExactlyNullsIncluded) {
  auto db = OpenNew();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->Exec("CREATE TABLE t(i INTEGER, r REAL, s TEXT)"));
  auto insert = Stmt::Prepare(db.get(), "INSERT INTO t VALUES(?1, ?2, ?3)");
  ASSERT_TRUE(insert) << insert.error();
  const std::string hostile("it's \"quoted\"; DROP TABLE t; --\0tail", 35);
  ASSERT_TRUE(insert->Bind(1, int64_t{-1}).Bind(2, 0.1).Bind(3, hostile).Run());
  // Run() resets and clears: unbound parameters of the next row are NULL.
  ASSERT_TRUE(insert->Bind(1, std::optional<int64_t>()).Bind(2, std::optional<double>()).Run());
  ASSERT_TRUE(insert->Bind(1, std::optional<int64_t>(7))
                  .Bind(2, std::optional<double>(-0.0))
                  .Bind(3, std::string_view(""))
                  .Run());
  struct Row {
    std::optional<int64_t> i;
    std::optional<double> r;
    std::string s;
    bool s_null;
  };
  auto select = Stmt::Prepare(db.get(), "SELECT i, r, s FROM t ORDER BY rowid");
  ASSERT_TRUE(select) << select.error();
  auto rows = select->Rows<Row>([](const Stmt& s) {
    return Row{s.MaybeInt(0), s.MaybeReal(1), s.Text(2), s.Null(2)};
  });
  ASSERT_TRUE(rows) << rows.error();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].i, -1);
  EXPECT_EQ((*rows)[0].r, 0.1);
  EXPECT_EQ((*rows)[0].s, hostile) << "bytes after a NUL kept, nothing interpreted";
  EXPECT_EQ((*rows)[1].i, std::nullopt);
  EXPECT_EQ((*rows)[1].r, std::nullopt);
  EXPECT_TRUE((*rows)[1].s_null);
  EXPECT_EQ((*rows)[1].s, "");
  EXPECT_EQ((*rows)[2].i, 7);
  EXPECT_EQ((*rows)[2].r, 0.0);
  EXPECT_FALSE((*rows)[2].s_null) << "an empty string is not NULL";
  EXPECT_EQ(**db->QueryInt("SELECT count(*) FROM t"), 3) << "the table survived";
}

TEST_F(SqliteTest, AFailedStepIsAnErrorAndTheStatementStaysUsable) {
  auto db = OpenNew();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->Exec("CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT NOT NULL)"));
  auto insert = Stmt::Prepare(db.get(), "INSERT INTO t VALUES(?1, ?2)");
  ASSERT_TRUE(insert);
  ASSERT_TRUE(insert->Bind(1, int64_t{1}).Bind(2, std::string_view("a")).Run());
  auto dup = insert->Bind(1, int64_t{1}).Bind(2, std::string_view("b")).Run();
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().rfind(path_ + ": cannot read or write: ", 0), 0u) << dup.error();
  EXPECT_NE(dup.error().find("UNIQUE"), std::string::npos) << dup.error();
  auto null = insert->Bind(1, int64_t{2}).Run();  // v left unbound: NULL
  ASSERT_FALSE(null);
  EXPECT_NE(null.error().find("NOT NULL"), std::string::npos) << null.error();
  EXPECT_TRUE(insert->Bind(1, int64_t{2}).Bind(2, std::string_view("c")).Run());
  EXPECT_EQ(*db->QueryText("SELECT group_concat(v, ',') FROM t"), "a,c");
}

}  // namespace
}  // namespace observd
