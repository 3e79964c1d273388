// fuzz_sanitize: SanitizeText on arbitrary bytes (upload file names and users from
// Redis). Input: 2 bytes choose max_chars (0..511), the rest is the text. The output
// is valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF), has no
// C0 control byte or DEL except TAB (kept on purpose, see app_snapshot.cc), has at
// most max_chars + 1 code points (the "…"), and sanitizing it again changes nothing.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "snapshot/app_snapshot.h"

namespace {

// Strict UTF-8 decoder; returns the code point count, or -1 when invalid.
long CountValidCodePoints(std::string_view s, bool* has_control) {
  long count = 0;
  for (size_t i = 0; i < s.size(); ++count) {
    const unsigned char c = s[i];
    size_t len = c < 0x80             ? 1
                 : (c & 0xE0) == 0xC0 ? 2
                 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4
                                      : 0;
    if (len == 0 || i + len > s.size()) return -1;
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < len; ++k) {
      const unsigned char cc = s[i + k];
      if ((cc & 0xC0) != 0x80) return -1;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return -1;
    }
    if ((cp < 0x20 && cp != '\t') || cp == 0x7F) *has_control = true;
    i += len;
  }
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t max_chars = (data[0] | (data[1] << 8)) % 512;
  std::string_view raw(reinterpret_cast<const char*>(data + 2), size - 2);

  const std::string out = observd::SanitizeText(raw, max_chars);
  bool has_control = false;
  const long n = CountValidCodePoints(out, &has_control);
  FUZZ_CHECK(n >= 0);
  FUZZ_CHECK(!has_control);
  FUZZ_CHECK(static_cast<size_t>(n) <= max_chars + 1);
  FUZZ_CHECK(out.empty() == raw.empty());
  FUZZ_CHECK(observd::SanitizeText(out, std::numeric_limits<size_t>::max() / 8) == out);
  // The default bound the daemon uses.
  const std::string def = observd::SanitizeText(raw);
  const long n_def = CountValidCodePoints(def, &has_control);
  FUZZ_CHECK(n_def >= 0 && n_def <= 201 && !has_control);
  return 0;
}
