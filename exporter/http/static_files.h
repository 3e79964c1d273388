// StaticFiles holds the site in memory, read from --web.root or pointing at the copy
// embedded in the binary (never copied: its gzip variants and hashes come precomputed,
// so its pages are not even touched until served), at start-up and on SIGHUP: every
// file with its gzip variant, ETag and cache policy, looked up by exact URL path. No
// URL is ever turned into a file path. Immutable once built, so thread-safe.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace observd {

// A page: the file below the site root and the URL it is served at (the list is the
// site's, dashboard/pages.h).
struct PageFile {
  std::string_view file;  // "pages/index.html"
  std::string_view url;   // "/"
};

// Views valid while the StaticFiles that holds the file lives.
struct StaticFile {
  std::string_view bytes;
  std::string_view gzipped;  // empty when compression does not pay
  std::string content_type;
  std::string etag;           // strong ETag, quoted
  std::string cache_control;  // pages revalidate; assets are cached for a day
};

class StaticFiles {
 public:
  // Reads every regular file below `root` that is served: the `pages` and everything
  // under static/ (symlinks are skipped). Fails on an unreadable root or when limits
  // (files, bytes) are exceeded.
  static Result<std::unique_ptr<StaticFiles>> Load(const std::string& root,
                                                   std::span<const PageFile> pages);
  // A file in static storage (outliving every StaticFiles), served without a copy.
  // With `fnv1a64` (Fnv1a64Hex of the bytes) given, `gzipped` is taken as precomputed
  // (empty: compression does not pay); without, both are computed here.
  struct Static {
    std::string rel;  // path relative to the site root
    std::string_view bytes;
    std::string_view gzipped;
    std::string_view fnv1a64;
  };
  static Result<std::unique_ptr<StaticFiles>> FromStatic(const std::vector<Static>& files,
                                                         std::span<const PageFile> pages);
  static std::unique_ptr<StaticFiles> Empty();

  // `url_path` is the decoded request path: the pages' URLs and "/static/<relative>"
  // map to files; nothing else does.
  const StaticFile* Find(const std::string& url_path) const;
  size_t size() const { return files_.size(); }
  size_t total_bytes() const { return total_bytes_; }

 private:
  // Adds the file at `rel` below the root (if served at all); fails past the limits.
  // `in.bytes` must outlive this object; the gzip variant is computed when not given.
  Result<> Add(const Static& in);
  // The URL the file at `rel` below the root is served at, or "" when not served.
  std::string UrlFor(const std::string& rel) const;
  // Keeps `bytes` for the life of this object and returns a view of it.
  std::string_view Keep(std::string bytes);

  std::map<std::string, StaticFile> files_;                // key: URL path
  std::map<std::string, std::string, std::less<>> pages_;  // file below the root -> URL
  std::vector<std::unique_ptr<const std::string>> owned_;  // files read from disk, gzip
  size_t total_bytes_ = 0;
};

std::string ContentTypeFor(const std::string& path);

// True when an If-None-Match header value (a list, weak tags, or "*") matches `etag`.
bool EtagMatches(const char* if_none_match, const std::string& etag);

}  // namespace observd
