// Upload records of observd-demo: file names, sizes and users drawn from hand-made
// distributions so that the dashboards look like a real service (a few heavy users,
// photos and PDFs dominating), not like uniform noise.

#include "demo/upload_record.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <numbers>

namespace observd::demo {
namespace {

// ---------------------------------------------------------------- small helpers

template <typename... Args>
std::string Format(const char* fmt, Args... args) {
  char buf[256];
  int n = std::snprintf(buf, sizeof(buf), fmt, args...);
  return std::string(buf, n < 0 ? 0 : std::min<size_t>(n, sizeof(buf) - 1));
}

std::tm UtcTime(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

// ---------------------------------------------------------------- file kinds

using NameFn = std::string (*)(Rng&, const std::tm&, const std::string& user);

struct FileKind {
  int weight;           // relative frequency among uploads.
  double median_bytes;  // log-normal size: median and spread (sigma of ln size).
  double sigma;
  std::array<NameFn, 3> names;
};

int Year(const std::tm& t) { return t.tm_year + 1900; }
int Quarter(const std::tm& t) { return t.tm_mon / 3 + 1; }
std::string Date(const std::tm& t) {
  return Format("%04d-%02d-%02d", Year(t), t.tm_mon + 1, t.tm_mday);
}
std::string Compact(const std::tm& t) {
  return Format("%04d%02d%02d_%02d%02d%02d", Year(t), t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min,
                t.tm_sec);
}
int Between(Rng& r, int lo, int hi) { return lo + static_cast<int>(r.Below(hi - lo + 1)); }

const std::vector<FileKind>& Kinds() {
  using R = Rng;
  using T = const std::tm;
  using U = const std::string;
  static const std::vector<FileKind> kinds = {
      {24,
       3.2e6,
       0.5,
       {[](R& r, T&, U&) { return Format("IMG_%04d.jpg", Between(r, 1000, 9999)); },
        [](R& r, T& t, U&) { return "PXL_" + Compact(t) + Format("%03d.jpg", Between(r, 0, 999)); },
        [](R& r, T&, U&) { return Format("DSC%05d.JPG", Between(r, 1, 99999)); }}},
      {9,
       4.5e5,
       1.0,
       {[](R&, T& t, U&) {
          return Format("Screenshot %s at %02d.%02d.%02d.png", Date(t).c_str(), t.tm_hour, t.tm_min,
                        t.tm_sec);
        },
        [](R& r, T&, U&) { return Format("diagram-v%d.png", Between(r, 1, 9)); },
        [](R&, T&, U&) { return std::string("logo@2x.png"); }}},
      {18,
       3.5e5,
       1.2,
       {[](R&, T& t, U&) { return Format("quarterly-report-%d-Q%d.pdf", Year(t), Quarter(t)); },
        [](R& r, T&, U&) { return Format("invoice-%05d.pdf", Between(r, 1, 99999)); },
        [](R&, T&, U& u) { return "R\xC3\xA9sum\xC3\xA9 - " + u + ".pdf"; }}},
      {5,
       4.0e7,
       1.4,
       {[](R& r, T&, U&) { return Format("dataset_v%d.csv.gz", Between(r, 1, 7)); },
        [](R&, T& t, U&) {
          return Format("events-%04d%02d%02d.csv.gz", Year(t), t.tm_mon + 1, t.tm_mday);
        },
        [](R& r, T&, U&) { return Format("clickstream-part-%05d.csv.gz", Between(r, 0, 999)); }}},
      {5,
       2.0e6,
       1.5,
       {[](R&, T& t, U&) { return "export_" + Date(t) + ".csv"; },
        [](R&, T&, U&) { return std::string("customers.csv"); },
        [](R& r, T&, U&) { return Format("survey-results-wave%d.csv", Between(r, 1, 4)); }}},
      {6,
       1.2e5,
       1.0,
       {[](R&, T& t, U&) { return Format("budget-%d.xlsx", Year(t)); },
        [](R&, T& t, U&) { return Format("Q%d forecast (final).xlsx", Quarter(t)); },
        [](R&, T&, U& u) { return "timesheet-" + u + ".xlsx"; }}},
      {8,
       8.0e4,
       1.0,
       {[](R& r, T&, U&) { return Format("proposal-draft-v%d.docx", Between(r, 1, 12)); },
        [](R&, T& t, U&) { return "meeting-notes-" + Date(t) + ".docx"; },
        [](R&, T&, U& u) { return "contract_" + u + "_signed.docx"; }}},
      {5,
       1.8e8,
       1.2,
       {[](R&, T& t, U&) { return "VID_" + Compact(t) + ".mp4"; },
        [](R& r, T&, U&) { return Format("screen-recording-%d.mp4", Between(r, 1, 300)); },
        [](R& r, T&, U&) { return Format("webinar-session-%02d.mp4", Between(r, 1, 40)); }}},
      {3,
       9.0e7,
       1.2,
       {[](R& r, T&, U&) { return Format("IMG_%04d.MOV", Between(r, 1000, 9999)); },
        [](R&, T& t, U&) { return "clip-" + Date(t) + ".mov"; },
        [](R& r, T&, U&) { return Format("drone-flight-%d.mov", Between(r, 1, 60)); }}},
      {5,
       2.5e7,
       1.6,
       {[](R&, T& t, U&) { return "backup-" + Date(t) + ".zip"; },
        [](R&, T&, U& u) { return "assets-" + u + ".zip"; },
        [](R& r, T&, U&) { return Format("photos-batch-%d.zip", Between(r, 1, 50)); }}},
      {3,
       6.0e7,
       1.6,
       {[](R& r, T& t, U&) {
          return Format("logs-web-%02d-%s.tar.gz", Between(r, 1, 12), Date(t).c_str());
        },
        [](R& r, T&, U&) {
          return Format("release-1.%d.%d.tar.gz", Between(r, 0, 30), Between(r, 0, 9));
        },
        [](R&, T& t, U&) { return "db-dump-" + Date(t) + ".tar.gz"; }}},
      {4,
       4.0e4,
       1.5,
       {[](R& r, T&, U&) { return Format("events-%d.json", Between(r, 1, 5000)); },
        [](R&, T&, U&) { return std::string("config.json"); },
        [](R&, T&, U& u) { return "profile-" + u + ".json"; }}},
      {3,
       6.0e3,
       1.2,
       {[](R&, T&, U&) { return std::string("notes.txt"); },
        [](R&, T&, U&) { return std::string("README.txt"); },
        [](R&, T& t, U&) { return "todo-" + Date(t) + ".txt"; }}},
      {2,
       8.0e6,
       0.6,
       {[](R& r, T&, U&) { return Format("podcast-episode-%d.mp3", Between(r, 1, 180)); },
        [](R& r, T&, U&) { return Format("voice-memo-%03d.mp3", Between(r, 1, 400)); },
        [](R&, T& t, U&) { return "standup-" + Date(t) + ".mp3"; }}},
  };
  return kinds;
}

const FileKind& PickKind(Rng& rng) {
  static const int total = [] {
    int sum = 0;
    for (const FileKind& k : Kinds()) sum += k.weight;
    return sum;
  }();
  int pick = static_cast<int>(rng.Below(total));
  for (const FileKind& k : Kinds()) {
    if (pick < k.weight) return k;
    pick -= k.weight;
  }
  return Kinds().back();
}

}  // namespace

const std::string& PickPoolUser(Rng& rng) {
  static const std::vector<double> cumulative = [] {
    std::vector<double> c;
    double sum = 0;
    for (size_t i = 0; i < UserPool().size(); ++i) {
      sum += 1.0 / std::pow(static_cast<double>(i + 1), 0.8);
      c.push_back(sum);
    }
    return c;
  }();
  double x = rng.Unit() * cumulative.back();
  size_t i = std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin();
  return UserPool()[std::min(i, UserPool().size() - 1)];
}

// ---------------------------------------------------------------- Rng

uint64_t Rng::Below(uint64_t n) {
  // Rejection keeps the result exactly uniform and the stream portable.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do {
    x = engine_();
  } while (x >= limit);
  return x % n;
}

double Rng::Unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

double Rng::Normal() {
  const double u1 = 1.0 - Unit();  // (0, 1]: log() stays finite.
  const double u2 = Unit();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double Rng::Exponential(double mean) { return -mean * std::log(1.0 - Unit()); }

std::string Rng::Hex(int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(digits);
  for (int i = 0; i < digits; ++i) out.push_back(kDigits[Below(16)]);
  return out;
}

// ---------------------------------------------------------------- records

std::string ContentTypeFor(std::string_view filename) {
  std::string lower(filename);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::vector<std::pair<std::string_view, std::string_view>> kTypes = {
      {".csv.gz", "application/gzip"},
      {".tar.gz", "application/gzip"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".png", "image/png"},
      {".pdf", "application/pdf"},
      {".csv", "text/csv"},
      {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {".mp4", "video/mp4"},
      {".mov", "video/quicktime"},
      {".zip", "application/zip"},
      {".gz", "application/gzip"},
      {".json", "application/json"},
      {".txt", "text/plain"},
      {".mp3", "audio/mpeg"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (lower.ends_with(ext)) return std::string(type);
  }
  return "application/octet-stream";
}

const std::vector<std::string>& UserPool() {
  static const std::vector<std::string> users = {
      "alice",  "bob",     "carol",   "dave",   "erin",   "frank",   "grace",  "heidi",  "ivan",
      "judy",   "mallory", "niaj",    "olivia", "peggy",  "rupert",  "sybil",  "trent",  "victor",
      "walter", "wendy",   "yusuf",   "zoe",    "amir",   "beatriz", "chen",   "dmitri", "elena",
      "fatima", "gustavo", "hana",    "igor",   "jamal",  "kenji",   "lucia",  "mei",    "nadia",
      "oskar",  "priya",   "quentin", "rosa",   "sanjay", "tomasz",  "ursula", "vikram", "wei",
      "ximena", "yara",    "zaid",    "ana",    "bjorn"};
  return users;
}

UploadRecord MakeUpload(Rng& rng, int64_t created_at, const std::string& user) {
  const FileKind& kind = PickKind(rng);
  UploadRecord r;
  r.id = "u-" + rng.Hex(16);
  r.filename = kind.names[rng.Below(kind.names.size())](rng, UtcTime(created_at), user);
  const double size = std::exp(std::log(kind.median_bytes) + kind.sigma * rng.Normal());
  r.size = std::clamp(static_cast<int64_t>(size), kMinUploadSize, kMaxUploadSize);
  r.content_type = ContentTypeFor(r.filename);
  r.user = user;
  r.status = rng.Chance(0.03) ? "failed" : "stored";
  r.created_at = created_at;
  return r;
}
}  // namespace observd::demo
