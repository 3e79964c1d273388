#include "http/static_files.h"

#include <fmt/format.h>

#include <filesystem>

#include "util/field_list.h"
#include "util/file.h"
#include "util/gzip.h"
#include "util/hash.h"

namespace observd {
namespace {

namespace fs = std::filesystem;
constexpr size_t kMaxFiles = 4096;
constexpr size_t kMaxBytes = 64u << 20;

bool Compressible(const std::string& type) {
  return type.starts_with("text/") || type.starts_with("application/javascript") ||
         type.starts_with("application/json") || type.starts_with("image/svg");
}

}  // namespace

std::string StaticFiles::UrlFor(const std::string& rel) const {
  auto page = pages_.find(rel);
  if (page != pages_.end()) return page->second;
  if (rel.starts_with("static/")) return "/" + rel;
  return "";
}

std::string ContentTypeFor(const std::string& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "application/javascript; charset=utf-8"},
      {".mjs", "application/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
      {".woff2", "font/woff2"},
  };
  auto it = kTypes.find(fs::path(path).extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::unique_ptr<StaticFiles> StaticFiles::Empty() {
  return std::unique_ptr<StaticFiles>(new StaticFiles());
}

std::string_view StaticFiles::Keep(std::string bytes) {
  owned_.push_back(std::make_unique<const std::string>(std::move(bytes)));
  return *owned_.back();
}

Result<> StaticFiles::Add(const Static& in) {
  std::string url = UrlFor(in.rel);
  if (url.empty()) return Ok();
  if (files_.size() >= kMaxFiles) return Fail(fmt::format("more than {} files", kMaxFiles));
  total_bytes_ += in.bytes.size();
  if (total_bytes_ > kMaxBytes) return Fail(fmt::format("more than {} bytes", kMaxBytes));
  StaticFile f;
  f.bytes = in.bytes;
  f.content_type = ContentTypeFor(in.rel);
  const bool precomputed = !in.fnv1a64.empty();
  // Appended piecewise: GCC 12 flags "\"" + str + "\"" here with a false -Wrestrict.
  f.etag = '"';
  f.etag += precomputed ? std::string(in.fnv1a64) : Fnv1a64Hex(in.bytes);
  f.etag += '"';
  // Vendored libraries change only with a package upgrade: cached for a day. Our
  // own CSS/JS and the pages revalidate with their ETag so an upgrade shows at once.
  f.cache_control = in.rel.starts_with("static/vendor/") ? "public, max-age=86400" : "no-cache";
  if (Compressible(f.content_type)) {
    if (precomputed) {
      f.gzipped = in.gzipped;
    } else if (in.bytes.size() >= kGzipAssetMinBytes) {
      std::string gz = GzipCompress(in.bytes, 9);
      if (!gz.empty() && gz.size() < in.bytes.size()) f.gzipped = Keep(std::move(gz));
    }
  }
  files_[url] = std::move(f);
  return Ok();
}

Result<std::unique_ptr<StaticFiles>> StaticFiles::FromStatic(const std::vector<Static>& files,
                                                             std::span<const PageFile> pages) {
  auto out = Empty();
  for (const PageFile& p : pages) out->pages_.emplace(p.file, p.url);
  for (const auto& f : files) {
    if (auto added = out->Add(f); !added) return Fail(added.error());
  }
  return out;
}

Result<std::unique_ptr<StaticFiles>> StaticFiles::Load(const std::string& root,
                                                       std::span<const PageFile> pages) {
  auto files = Empty();
  for (const PageFile& p : pages) files->pages_.emplace(p.file, p.url);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return Fail(root + ": web root is not a readable directory");
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_symlink(ec) || !it->is_regular_file(ec)) continue;
    std::string rel = fs::relative(it->path(), root, ec).generic_string();
    if (files->UrlFor(rel).empty()) continue;
    Result<std::string> bytes = ReadFile(it->path().string(), kMaxBytes);
    if (!bytes) return Fail(it->path().string() + ": cannot read: " + bytes.error());
    if (auto added = files->Add({rel, files->Keep(std::move(*bytes)), {}, {}}); !added) {
      return Fail(root + ": " + added.error());
    }
  }
  if (ec) return Fail(root + ": " + ec.message());
  return files;
}

bool EtagMatches(const char* header, const std::string& etag) {
  if (!header) return false;
  return AnyListElement(header, [&](std::string_view tag) {
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);  // weak comparison, as RFC 9110 asks
    return tag == etag;
  });
}

const StaticFile* StaticFiles::Find(const std::string& url_path) const {
  auto it = files_.find(url_path);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace observd
