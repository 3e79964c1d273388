// Thin RAII over SQLite's C API for the history store: a connection (Db) and a prepared
// statement (Stmt) whose errors are Result<> lines naming the database file. Not a
// general wrapper: only what store/ uses. A Db and its Stmts are used by one thread at
// a time (the owner serialises); thread-compatible.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace observd {

class Db {
 public:
  // Opens (creating when `create`) the file at `path`, read-write.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, bool create);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  sqlite3* get() const { return db_; }
  const std::string& path() const { return path_; }
  // Runs statements without results; an error names the file and SQLite's message.
  Result<> Exec(std::string_view sql);
  // The first column of the first row of `sql` as an integer (nullopt without a row or
  // when it is NULL, as min() over no rows is).
  Result<std::optional<int64_t>> QueryInt(std::string_view sql);
  // The first column of the first row of `sql` as text ("" without a row).
  Result<std::string> QueryText(std::string_view sql);
  // "<path>: <what>: <sqlite message>".
  Error Failure(std::string_view what) const;

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

class Stmt {
 public:
  static Result<Stmt> Prepare(Db* db, std::string_view sql);
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;
  ~Stmt();

  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, double v);
  Stmt& Bind(int i, std::optional<double> v);
  Stmt& Bind(int i, std::optional<int64_t> v);
  Stmt& Bind(int i, std::string_view v);
  // One step: true with a row, false when done; an error otherwise.
  Result<bool> Step();
  // Steps to the end (a statement without rows), then resets for the next binding.
  Result<> Run();
  void Reset();
  // Steps to the end, `row(*this)` building one T per row; an error stops it.
  template <typename T, typename F>
  Result<std::vector<T>> Rows(F row) {
    std::vector<T> out;
    for (;;) {
      auto more = Step();
      if (!more) return Fail(more.error());
      if (!*more) return out;
      out.push_back(row(*this));
    }
  }

  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  double Real(int col) const { return sqlite3_column_double(s_, col); }
  bool Null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::optional<double> MaybeReal(int col) const;
  std::optional<int64_t> MaybeInt(int col) const;
  std::string Text(int col) const;

 private:
  Stmt(Db* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  Db* db_;
  sqlite3_stmt* s_;
};

}  // namespace observd
