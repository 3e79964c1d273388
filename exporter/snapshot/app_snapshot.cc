#include "snapshot/app_snapshot.h"

#include <nlohmann/json.hpp>

#include "util/clock.h"

namespace observd {
namespace {

using nlohmann::json;
// Format 2 dropped format 1's per-minute series (minutes_start, uploads_per_minute,
// runs_per_minute); a format 1 value still reads (those fields are ignored), so an
// instance shares what an older one computed.
constexpr int kFormat = 2;
constexpr int kOldestFormat = 1;
constexpr const char* kFormatKey = "observd_snapshot";

json MaybeToJson(const MaybeInt& v) { return v ? json(*v) : json(nullptr); }

// Readers throw json exceptions on type mismatch; DeserializeSnapshot catches them.
MaybeInt ReadMaybe(const json& j) {
  if (j.is_null()) return std::nullopt;
  if (!j.is_number_integer()) throw std::invalid_argument("expected integer or null");
  int64_t v = j.get<int64_t>();
  if (v < 0) return std::nullopt;  // never written by us: unknown, like garbage in Redis
  return v;
}

constexpr size_t kMaxRecent = 1000;  // keys.recent_uploads is at most 1000

// Unix seconds between 1970 and 9999: anything else was not written by us.
double ReadTime(const json& j) {
  double v = j.get<double>();
  if (!IsUnixTime(v)) throw std::invalid_argument("time out of range");
  return v;
}

// Strings from the shared key get the same treatment as strings from the
// application's hashes: the key is writable by anyone who can write to Redis.
std::string ReadString(const json& j, size_t max_chars = 200) {
  if (!j.is_string()) throw std::invalid_argument("expected string");
  return SanitizeText(j.get_ref<const std::string&>(), max_chars);
}

}  // namespace

std::string SerializeSnapshot(const AppSnapshot& s) {
  json j;
  j[kFormatKey] = kFormat;
  j["computed_at"] = s.computed_at;
  j["producer"] = s.producer;
  j["fingerprint"] = s.fingerprint;
  for (const auto& [name, field] : kAppCounts) j[name] = MaybeToJson(s.*field);
  json runs = json::object();
  for (const auto& [status, w] : s.workflow_runs) {
    runs[status] = {{"1h", MaybeToJson(w.last_1h)}, {"24h", MaybeToJson(w.last_24h)}};
  }
  j["workflow_runs"] = runs;
  json recent = json::array();
  for (const auto& u : s.recent) {
    recent.push_back({{"id", u.id},
                      {"filename", u.filename},
                      {"user", u.user},
                      {"content_type", u.content_type},
                      {"status", u.status},
                      {"size", MaybeToJson(u.size)},
                      {"created_at", u.created_at ? json(*u.created_at) : json(nullptr)},
                      {"note", u.note}});
  }
  j["recent"] = recent;
  j["recent_error"] = s.recent_error;
  j["skipped_records"] = s.skipped_records;
  json queries = json::array();
  for (const auto& q : s.queries) {
    queries.push_back({{"name", q.name},
                       {"labels", q.labels},
                       {"value", q.value ? json(*q.value) : json(nullptr)}});
  }
  j["queries"] = queries;
  // Strings were sanitized at ingestion; replace guards against any that were not.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<AppSnapshot> DeserializeSnapshot(std::string_view text) {
  try {
    json j = json::parse(text);
    if (!j.is_object() || !j.contains(kFormatKey) || !j[kFormatKey].is_number_integer() ||
        j[kFormatKey].get<int64_t>() < kOldestFormat || j[kFormatKey].get<int64_t>() > kFormat) {
      return Fail("not an observd snapshot (format tag missing or different)");
    }
    AppSnapshot s;
    s.computed_at = ReadTime(j.at("computed_at"));
    s.producer = ReadString(j.at("producer"));
    s.fingerprint = ReadString(j.at("fingerprint"));
    for (const auto& [name, field] : kAppCounts) s.*field = ReadMaybe(j.at(name));
    for (const auto& [status, w] : j.at("workflow_runs").items()) {
      s.workflow_runs[status] = {ReadMaybe(w.at("1h")), ReadMaybe(w.at("24h"))};
    }
    if (j.at("recent").size() > kMaxRecent) throw std::invalid_argument("too many uploads");
    for (const auto& u : j.at("recent")) {
      Upload up;
      up.id = ReadString(u.at("id"), 64);
      up.filename = ReadString(u.at("filename"));
      up.user = ReadString(u.at("user"), 64);
      up.content_type = ReadString(u.at("content_type"), 100);
      up.status = ReadString(u.at("status"), 32);
      up.size = ReadMaybe(u.at("size"));
      if (!u.at("created_at").is_null()) up.created_at = ReadTime(u.at("created_at"));
      if (up.size && *up.size > (int64_t{1} << 60)) up.size.reset();
      if (u.contains("note")) up.note = ReadString(u.at("note"), 120);
      s.recent.push_back(std::move(up));
    }
    if (j.contains("recent_error")) s.recent_error = ReadString(j.at("recent_error"), 200);
    if (j.contains("skipped_records"))
      s.skipped_records = ReadMaybe(j.at("skipped_records")).value_or(0);
    for (const auto& q : j.at("queries")) {
      QueryValue v;
      v.name = ReadString(q.at("name"));
      v.labels = q.at("labels").get<std::map<std::string, std::string>>();
      if (!q.at("value").is_null()) v.value = q.at("value").get<double>();
      s.queries.push_back(std::move(v));
    }
    return s;
  } catch (const std::exception& e) {
    return Fail(std::string("invalid snapshot: ") + e.what());
  }
}

std::string SanitizeText(std::string_view raw, size_t max_chars) {
  static constexpr char kReplacement[] = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(std::min(raw.size(), max_chars * 4) + 3);
  size_t chars = 0;
  size_t i = 0;
  while (i < raw.size()) {
    if (chars == max_chars) {
      out += "\xE2\x80\xA6";  // …
      return out;
    }
    unsigned char c = raw[i];
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    bool valid = len != 0 && i + len <= raw.size();
    uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; valid && k < len; ++k) {
      unsigned char cc = raw[i + k];
      if ((cc & 0xC0) != 0x80) valid = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Reject overlong forms, surrogates, out-of-range code points, control bytes.
    if (valid && ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
                  (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF) ||
                  cp < 0x20 || cp == 0x7F)) {
      valid = cp == '\t' && len == 1;
    }
    if (valid) {
      out.append(raw.data() + i, len);
      i += len;
    } else {
      out += kReplacement;
      i += 1;
    }
    ++chars;
  }
  return out;
}

}  // namespace observd
