// StaticFiles holds the site read from --web.root at start-up (and on SIGHUP):
// every file in memory with its gzip variant, ETag and cache policy, looked up by
// exact URL path. No URL is ever turned into a file path. Immutable after Load, so
// thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>

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
  static std::unique_ptr<StaticFiles> Empty();

  // `url_path` is the decoded request path: "/", "/dashboard/observability",
  // "/dashboard/uploads" and "/static/<relative>" map to files; nothing else does.
  const StaticFile* Find(const std::string& url_path) const;
  size_t size() const { return files_.size(); }

 private:
  std::map<std::string, StaticFile> files_;  // key: URL path
  size_t total_bytes_ = 0;
};

std::string ContentTypeFor(const std::string& path);

// True when an If-None-Match header value (a list, weak tags, or "*") matches `etag`.
bool EtagMatches(const char* if_none_match, const std::string& etag);

}  // namespace observd
