// The one table of query kinds for the `queries:` list: each kind's name in the config,
// the Redis command it runs and whether it takes a `window`. The config parser, its
// error texts and the snapshot's command list read it. Immutable; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "config/config.h"

namespace observd {

struct QueryKindInfo {
  QueryConfig::Kind kind;
  const char* name;  // in the config: "zcount"
  const char* verb;  // the Redis command: "ZCOUNT"
  bool windowed;     // takes `window` (required and > 0); other kinds refuse it.
};

// Every kind, in the order the docs and errors list them.
std::span<const QueryKindInfo> QueryKinds();

// The row of `name`, or nullptr for an unknown name.
const QueryKindInfo* FindQueryKind(std::string_view name);

// The row of `kind` (every enumerator has one; a unit test checks it).
const QueryKindInfo& QueryKindOf(QueryConfig::Kind kind);

// The Redis command of `kind`, e.g. "LLEN".
const char* QueryKindVerb(QueryConfig::Kind kind);

// "zcard, zcount, ..., get": the names, for error texts.
std::string QueryKindNames();

// "zcount": the names of the kinds that take a window, for error texts.
std::string WindowedQueryKindNames();

}  // namespace observd
