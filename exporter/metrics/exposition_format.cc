#include "metrics/exposition_format.h"

#include <array>
#include <charconv>
#include <optional>
#include <vector>

#include "util/field_list.h"

namespace observd {
namespace {

// RFC 9110 token characters: what a media type, subtype or parameter name may hold.
bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// One media range of the Accept header.
struct Range {
  std::string_view type;
  std::string_view subtype;
  std::string_view version;  // empty when absent
  NameEscaping escaping = NameEscaping::kUnspecified;
  double q = 1;
};

NameEscaping ParseEscaping(std::string_view v) {
  if (v == "allow-utf-8") return NameEscaping::kAllowUtf8;
  if (v == "underscores") return NameEscaping::kUnderscores;
  if (v == "dots") return NameEscaping::kDots;
  if (v == "values") return NameEscaping::kValues;
  return NameEscaping::kUnspecified;  // unknown: ignored, as client_golang does
}

// Parses "type/subtype; k=v; ..." or returns nothing when it is malformed.
std::optional<Range> ParseRange(std::string_view entry) {
  Range r;
  size_t semi = entry.find(';');
  std::string_view media = TrimOws(entry.substr(0, semi));
  const size_t slash = media.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  r.type = media.substr(0, slash);
  r.subtype = media.substr(slash + 1);
  if (!IsToken(r.type) || !IsToken(r.subtype)) return std::nullopt;
  if (r.type == "*" && r.subtype != "*") return std::nullopt;
  while (semi != std::string_view::npos) {
    entry.remove_prefix(semi + 1);
    semi = entry.find(';');
    std::string_view param = TrimOws(entry.substr(0, semi));
    if (param.empty()) continue;
    const size_t eq = param.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view key = TrimOws(param.substr(0, eq));
    std::string_view value = TrimOws(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (EqualsIgnoreCase(key, "q")) {
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), r.q);
      if (ec != std::errc() || end != value.data() + value.size() || !(r.q >= 0 && r.q <= 1)) {
        return std::nullopt;
      }
    } else if (EqualsIgnoreCase(key, "version")) {
      r.version = value;
    } else if (EqualsIgnoreCase(key, "escaping")) {
      r.escaping = ParseEscaping(value);
    }
  }
  return r;
}

struct Candidate {
  ExpositionFormat format;
  std::string_view type;
  std::string_view subtype;
  std::string_view version;
};

// Server preference, used only to break exact ties (e.g. a lone */*).
constexpr std::array<Candidate, 3> kCandidates = {{
    {ExpositionFormat::kText004, "text", "plain", "0.0.4"},
    {ExpositionFormat::kOpenMetrics100, "application", "openmetrics-text", "1.0.0"},
    {ExpositionFormat::kOpenMetrics001, "application", "openmetrics-text", "0.0.1"},
}};

// How specifically `r` names `c`: 4 type, subtype and version; 3 type and subtype with no
// version (both OpenMetrics versions tie, and the order above makes that 1.0.0); 2 type/*;
// 1 */*; 0 no match.
int Specificity(const Range& r, const Candidate& c) {
  if (r.type == "*") return 1;
  if (!EqualsIgnoreCase(r.type, c.type)) return 0;
  if (r.subtype == "*") return 2;
  if (!EqualsIgnoreCase(r.subtype, c.subtype)) return 0;
  if (r.version.empty()) return 3;
  return r.version == c.version ? 4 : 0;
}

}  // namespace

Exposition NegotiateExposition(std::string_view accept) {
  std::vector<Range> ranges;
  AnyListElement(accept, [&](std::string_view element) {
    if (auto r = ParseRange(element)) ranges.push_back(*r);
    return false;
  });
  Exposition best;
  double best_q = 0;
  size_t best_position = ranges.size();
  for (const Candidate& c : kCandidates) {
    // The most specific range naming this format decides its q (RFC 9110 12.5.1).
    int specificity = 0;
    size_t position = ranges.size();
    for (size_t i = 0; i < ranges.size(); ++i) {
      const int s = Specificity(ranges[i], c);
      if (s > specificity) {
        specificity = s;
        position = i;
      }
    }
    if (specificity == 0) continue;
    const Range& r = ranges[position];
    if (r.q > best_q || (r.q == best_q && r.q > 0 && position < best_position)) {
      best = {c.format, r.escaping};
      best_q = r.q;
      best_position = position;
    }
  }
  return best;
}

bool IsOpenMetrics(ExpositionFormat format) { return format != ExpositionFormat::kText004; }

std::string ContentType(const Exposition& e) {
  std::string out;
  switch (e.format) {
    case ExpositionFormat::kText004:
      out = "text/plain; version=0.0.4; charset=utf-8";
      break;
    case ExpositionFormat::kOpenMetrics100:
      out = "application/openmetrics-text; version=1.0.0; charset=utf-8";
      break;
    case ExpositionFormat::kOpenMetrics001:
      out = "application/openmetrics-text; version=0.0.1; charset=utf-8";
      break;
  }
  switch (e.escaping) {
    case NameEscaping::kUnspecified:
      break;
    case NameEscaping::kAllowUtf8:
      out += "; escaping=allow-utf-8";
      break;
    case NameEscaping::kUnderscores:
      out += "; escaping=underscores";
      break;
    case NameEscaping::kDots:
      out += "; escaping=dots";
      break;
    case NameEscaping::kValues:
      out += "; escaping=values";
      break;
  }
  return out;
}

}  // namespace observd
