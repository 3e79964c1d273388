#include "store/schema.h"

#include <fmt/format.h>

namespace observd {
namespace {

// Version 1. A later version adds a step to kMigrations; steps run in order, each in
// the transaction that also sets user_version.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE minutes(
  t INTEGER PRIMARY KEY,       -- unix seconds of the minute's start
  samples INTEGER NOT NULL,    -- Redis PINGs attempted
  failed INTEGER NOT NULL,     -- of which failed
  min_ms REAL, mean_ms REAL, max_ms REAL, p99_ms REAL,  -- NULL: no PING answered
  requests INTEGER NOT NULL,   -- HTTP requests answered
  cache_hits INTEGER, cache_misses INTEGER);
CREATE TABLE latency(t REAL PRIMARY KEY, ms REAL);  -- 1 s samples (last hour); NULL = failed
CREATE TABLE annotations(
  t REAL NOT NULL, kind TEXT NOT NULL, end_t REAL, text TEXT NOT NULL,
  PRIMARY KEY(t, kind));
CREATE TABLE app_buckets(
  fingerprint TEXT NOT NULL, series TEXT NOT NULL, step INTEGER NOT NULL,
  t INTEGER NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY(fingerprint, series, step, t)) WITHOUT ROWID;
)sql";

constexpr const char* kMigrations[] = {kSchemaV1};

}  // namespace

Result<> PrepareSchema(Db* db, int schema_version, int32_t application_id) {
  // Reading the header first: a file that is not a database fails here, before any write.
  auto app = db->QueryInt("PRAGMA application_id");
  if (!app) return Fail(app.error() + " (not an SQLite database, or corrupt)");
  auto version = db->QueryInt("PRAGMA user_version");
  auto tables = db->QueryInt("SELECT count(*) FROM sqlite_master");
  if (!version || !tables) return Fail((version ? tables.error() : version.error()));
  const int64_t have = version->value_or(0);
  if (app->value_or(0) != application_id && (app->value_or(0) != 0 || tables->value_or(0) > 0)) {
    return Fail(
        fmt::format("{}: not an observd history file (application_id {}); point "
                    "history.path at another file",
                    db->path(), app->value_or(0)));
  }
  if (have > schema_version) {
    return Fail(
        fmt::format("{}: written by a newer observd (schema {}, this one reads up to {}); "
                    "upgrade observd or move the file away",
                    db->path(), have, schema_version));
  }
  auto wal = db->QueryText("PRAGMA journal_mode = WAL");
  if (!wal) return Fail(wal.error());
  if (*wal != "wal") {
    return Fail(fmt::format("{}: cannot turn on write-ahead logging (journal_mode is {})",
                            db->path(), *wal));
  }
  for (int64_t v = have; v < schema_version; ++v) {
    if (v >= static_cast<int64_t>(std::size(kMigrations))) return Fail("no migration step");
    std::string sql = fmt::format(
        "BEGIN IMMEDIATE; {} PRAGMA application_id = {}; "
        "PRAGMA user_version = {}; COMMIT;",
        kMigrations[v], application_id, v + 1);
    if (auto r = db->Exec(sql); !r) {
      (void)db->Exec("ROLLBACK");
      return Fail(r.error() + fmt::format(" (migrating the schema to version {})", v + 1));
    }
  }
  auto check = db->QueryInt("SELECT count(*) FROM pragma_quick_check WHERE quick_check != 'ok'");
  if (!check) return Fail(check.error() + " (integrity check)");
  if (check->value_or(0) > 0) {
    return Fail(
        fmt::format("{}: corrupt (PRAGMA quick_check failed); move the file away to "
                    "start a new history",
                    db->path()));
  }
  return Ok();
}

}  // namespace observd
