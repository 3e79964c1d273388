// StaticFiles holds the site in memory, read from --web.root or built from the copy
// embedded in the binary, at start-up and on SIGHUP: every file with its gzip variant,
// ETag and cache policy, looked up by exact URL path. No URL is ever turned into a file
// path. Immutable once built, so thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace observd {

struct StaticFile {
  std::shared_ptr<const std::string> bytes;
  std::shared_ptr<const std::string> gzipped;  // null when compression does not pay
  std::string content_type;
  std::string etag;           // strong ETag, quoted
  std::string cache_control;  // pages revalidate; assets are cached for a day
};

class StaticFiles {
 public:
  // Reads every regular file below `root` (symlinks are skipped). Fails on an
  // unreadable root or when limits (files, bytes) are exceeded.
  static std::unique_ptr<StaticFiles> Load(const std::string& root, std::string* error);
  // The same from in-memory files: (path relative to the site root, bytes), copied.
  static std::unique_ptr<StaticFiles> FromMemory(
      const std::vector<std::pair<std::string, std::string_view>>& files, std::string* error);
  static std::unique_ptr<StaticFiles> Empty();

  // `url_path` is the decoded request path: "/", "/dashboard/observability",
  // "/dashboard/uploads" and "/static/<relative>" map to files; nothing else does.
  const StaticFile* Find(const std::string& url_path) const;
  size_t size() const { return files_.size(); }
  size_t total_bytes() const { return total_bytes_; }

 private:
  // Adds the file at `rel` below the root (if served at all); false past the limits.
  bool Add(const std::string& rel, std::string bytes, std::string* error);

  std::map<std::string, StaticFile> files_;  // key: URL path
  size_t total_bytes_ = 0;
};

std::string ContentTypeFor(const std::string& path);

// True when an If-None-Match header value (a list, weak tags, or "*") matches `etag`.
bool EtagMatches(const char* if_none_match, const std::string& etag);

}  // namespace observd
