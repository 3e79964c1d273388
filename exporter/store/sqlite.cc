#include "store/sqlite.h"

#include <fmt/format.h>

namespace observd {

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, bool create) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close(raw);
    return Fail(fmt::format("{}: cannot open: {}", path, why));
  }
  sqlite3_extended_result_codes(raw, 1);
  // No per-connection lookaside pool (about 120 KiB each): idle memory matters more here
  // than the small allocations it speeds up.
  sqlite3_db_config(raw, SQLITE_DBCONFIG_LOOKASIDE, nullptr, 0, 0);
  return std::unique_ptr<Db>(new Db(raw, path));
}

Db::~Db() { sqlite3_close(db_); }

Error Db::Failure(std::string_view what) const {
  return Fail(fmt::format("{}: {}: {}", path_, what, sqlite3_errmsg(db_)));
}

Result<> Db::Exec(std::string_view sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string why = msg ? msg : sqlite3_errmsg(db_);
    sqlite3_free(msg);
    return Fail(fmt::format("{}: {}", path_, why));
  }
  return Ok();
}

Result<std::optional<int64_t>> Db::QueryInt(std::string_view sql) {
  auto s = Stmt::Prepare(this, sql);
  if (!s) return Fail(s.error());
  auto row = s->Step();
  if (!row) return Fail(row.error());
  return *row ? s->MaybeInt(0) : std::optional<int64_t>();  // NULL (min of none) too
}

Result<std::string> Db::QueryText(std::string_view sql) {
  auto s = Stmt::Prepare(this, sql);
  if (!s) return Fail(s.error());
  auto row = s->Step();
  if (!row) return Fail(row.error());
  return *row ? s->Text(0) : std::string();
}

Result<Stmt> Stmt::Prepare(Db* db, std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db->get(), sql.data(), static_cast<int>(sql.size()), &s, nullptr) !=
      SQLITE_OK) {
    return db->Failure("cannot prepare a statement");
  }
  return Stmt(db, s);
}

Stmt::~Stmt() { sqlite3_finalize(s_); }

Stmt& Stmt::Bind(int i, int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, double v) {
  sqlite3_bind_double(s_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, std::optional<double> v) {
  if (v) return Bind(i, *v);
  sqlite3_bind_null(s_, i);
  return *this;
}
Stmt& Stmt::Bind(int i, std::optional<int64_t> v) {
  if (v) return Bind(i, *v);
  sqlite3_bind_null(s_, i);
  return *this;
}
Stmt& Stmt::Bind(int i, std::string_view v) {
  sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = db_->Failure("cannot read or write");
  sqlite3_reset(s_);
  return e;
}

Result<> Stmt::Run() {
  auto r = Step();
  Reset();
  if (!r) return Fail(r.error());
  return Ok();
}

void Stmt::Reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

std::optional<double> Stmt::MaybeReal(int col) const {
  return Null(col) ? std::nullopt : std::optional<double>(Real(col));
}
std::optional<int64_t> Stmt::MaybeInt(int col) const {
  return Null(col) ? std::nullopt : std::optional<int64_t>(Int(col));
}
std::string Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(s_, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(s_, col)))
           : std::string();
}

}  // namespace observd
