// fuzz_query: UrlDecode, ParseQuery and ParseLimit on arbitrary query strings (they
// see every request's query). Input: 4 bytes choose `def` and `max` for ParseLimit,
// the rest is the query. ParseLimit's answer is within [1, max] or nullopt.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "http/query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const int max = 1 + ((data[0] | (data[1] << 8)) % 1000);  // 1..1000
  const int def = 1 + ((data[2] | (data[3] << 8)) % max);   // 1..max
  std::string_view query(reinterpret_cast<const char*>(data + 4), size - 4);

  if (auto decoded = observd::UrlDecode(query)) {
    FUZZ_CHECK(decoded->size() <= query.size());
    // No '%' in the input means nothing to reject.
  } else {
    FUZZ_CHECK(query.find('%') != std::string_view::npos);
  }

  if (auto params = observd::ParseQuery(query)) {
    FUZZ_CHECK(query.size() <= 4096);
    for (const auto& [k, v] : *params) FUZZ_CHECK(k.size() + v.size() <= query.size());
  }

  // CivetWeb hands handlers a NUL-terminated query string.
  const std::string c_query(query.substr(0, query.find('\0')));
  for (const std::string name : {"limit", ""}) {
    auto limit = observd::ParseLimit(c_query.c_str(), name, def, max);
    if (limit) FUZZ_CHECK(*limit >= 1 && *limit <= max);
  }
  FUZZ_CHECK(observd::ParseLimit(nullptr, "limit", def, max) == def);
  return 0;
}
