// Query-string parsing and validation for request handlers. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace observd {

// Percent-decodes `in` ('+' is a space). Returns nullopt on malformed escapes.
std::optional<std::string> UrlDecode(std::string_view in);

// Splits "a=1&b=2" into decoded pairs; malformed pairs make the whole query invalid.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseQuery(std::string_view query);

// The first value of `name` in parsed `params`; nullopt when absent.
std::optional<std::string> FindParam(const std::vector<std::pair<std::string, std::string>>& params,
                                     const std::string& name);

// Reads `name` from `query` as an integer limit: absent -> `def`; present and within
// 1..max -> it; anything else (garbage, 0, negative, > max, repeated) -> nullopt (400).
std::optional<int> ParseLimit(const char* query, const std::string& name, int def, int max);

}  // namespace observd
