// The history store's schema and its versions: PrepareSchema identifies the file
// (application_id), creates or migrates the tables to HistoryStore::kSchemaVersion and
// refuses what it cannot read. Pure functions of a connection; the caller serialises.
#pragma once

#include "store/sqlite.h"
#include "util/result.h"

namespace observd {

// Turns WAL on, checks the file is an observd history file this version can read,
// migrates an older schema, creates a new one. Errors name the file and the fix.
Result<> PrepareSchema(Db* db, int schema_version, int32_t application_id);

}  // namespace observd
