#include "config/query_kind.h"

namespace observd {
namespace {

using Kind = QueryConfig::Kind;

constexpr QueryKindInfo kQueryKinds[] = {
    {Kind::kZcard, "zcard", "ZCARD", false},       {Kind::kZcount, "zcount", "ZCOUNT", true},
    {Kind::kScard, "scard", "SCARD", false},       {Kind::kLlen, "llen", "LLEN", false},
    {Kind::kHlen, "hlen", "HLEN", false},          {Kind::kXlen, "xlen", "XLEN", false},
    {Kind::kPfcount, "pfcount", "PFCOUNT", false}, {Kind::kGet, "get", "GET", false},
};

std::string JoinNames(bool windowed_only) {
  std::string out;
  for (const QueryKindInfo& k : kQueryKinds) {
    if (windowed_only && !k.windowed) continue;
    out += (out.empty() ? "" : ", ") + std::string(k.name);
  }
  return out;
}

}  // namespace

std::span<const QueryKindInfo> QueryKinds() { return kQueryKinds; }

const QueryKindInfo* FindQueryKind(std::string_view name) {
  for (const QueryKindInfo& k : kQueryKinds) {
    if (name == k.name) return &k;
  }
  return nullptr;
}

const QueryKindInfo& QueryKindOf(Kind kind) {
  for (const QueryKindInfo& k : kQueryKinds) {
    if (k.kind == kind) return k;
  }
  return kQueryKinds[0];  // unreachable while every enumerator has a row
}

const char* QueryKindVerb(Kind kind) { return QueryKindOf(kind).verb; }

std::string QueryKindNames() { return JoinNames(false); }

std::string WindowedQueryKindNames() { return JoinNames(true); }

}  // namespace observd
