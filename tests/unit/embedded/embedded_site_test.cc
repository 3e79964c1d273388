// Tests of embedded/embedded_site.h: EmbeddedBytes, and the data embed_tool compiled in
// holds what the header promises (sorted, hashed, a gzip variant only when smaller and
// equal to the bytes once inflated). Without the front end both lists are empty.
#include "embedded/embedded_site.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "util/hash.h"

namespace observd {
namespace {

std::string Gunzip(std::string_view in) {
  z_stream z{};
  inflateInit2(&z, 15 + 16);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof(buf);
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof(buf) - z.avail_out);
  }
  inflateEnd(&z);
  return rc == Z_STREAM_END ? out : "<not a whole gzip member>";
}

TEST(EmbeddedSiteTest, EmbeddedBytesSumsTheSizesOfTheBytes) {
  EXPECT_EQ(EmbeddedBytes({}), 0u);
  const std::string big(1 << 20, 'b');
  const std::vector<EmbeddedFile> files = {
      {"a", "12345", "gz-ignored", "h"}, {"b", "", "", ""}, {"c", big, "", ""}};
  EXPECT_EQ(EmbeddedBytes(files), 5u + (1u << 20)) << "gzipped variants are not counted";
  EXPECT_EQ(EmbeddedBytes(std::span(files).first(1)), 5u);
}

void ExpectWellFormed(std::span<const EmbeddedFile> files, const char* what) {
  for (size_t i = 0; i < files.size(); ++i) {
    const EmbeddedFile& f = files[i];
    SCOPED_TRACE(std::string(what) + " " + std::string(f.path));
    EXPECT_FALSE(f.path.empty());
    EXPECT_FALSE(f.path.starts_with("/")) << "paths are relative";
    EXPECT_EQ(f.path.find(".."), std::string_view::npos);
    if (i > 0) {
      EXPECT_LT(files[i - 1].path, f.path) << "sorted by path, no duplicates";
    }
    EXPECT_EQ(f.fnv1a64, Fnv1a64Hex(f.bytes));
    if (!f.gzipped.empty()) {
      EXPECT_LT(f.gzipped.size(), f.bytes.size()) << "kept only when smaller";
      EXPECT_EQ(Gunzip(f.gzipped), f.bytes);
    }
  }
}

TEST(EmbeddedSiteTest, TheCompiledInFilesAreSortedHashedAndTheirGzipInflatesToThem) {
  ExpectWellFormed(EmbeddedSiteFiles(), "site");
  ExpectWellFormed(EmbeddedTemplateFiles(), "templates");
  for (const EmbeddedFile& f : EmbeddedTemplateFiles()) {
    EXPECT_TRUE(f.path.ends_with(".mustache")) << f.path;
  }
}

}  // namespace
}  // namespace observd
