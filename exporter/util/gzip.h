// Gzip compresses response bodies with zlib (RAII over z_stream). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace observd {

// Bodies smaller than this are sent as they are: gzip's header and CPU cost
// outweigh the bytes saved.
inline constexpr size_t kGzipMinBytes = 1024;
// Site files are compressed once (at build time or start-up), not per response, so
// gzip pays for them from a smaller size.
inline constexpr size_t kGzipAssetMinBytes = 512;

// Returns the gzip encoding of `in` (level 6 by default); "" only if zlib fails.
std::string GzipCompress(std::string_view in, int level = 6);

// True when an Accept-Encoding header value allows gzip: gzip listed with q > 0,
// or not listed and "*" with q > 0 (names and parameters case-insensitive).
bool AcceptsGzip(const char* accept_encoding);

}  // namespace observd
