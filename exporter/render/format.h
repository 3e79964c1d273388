// Formatting of values for people: sizes, ages, numbers, clock times. Every
// function is pure; unknown values become "—". Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace observd {

inline constexpr const char* kUnknown = "\xE2\x80\x94";  // "—"

std::string HumanSize(std::optional<int64_t> bytes);        // "1.4 MiB", "512 B"
std::string HumanAge(std::optional<double> t, double now);  // "3 min ago", "just now"
std::string FormatCount(std::optional<int64_t> n);          // "1,234"
// "42 s", "6 min", "1 h 12 min", "3 d 4 h" (same words as the site's landing.js).
std::string HumanDuration(std::optional<double> seconds);
std::string FormatFixed(std::optional<double> v, int decimals);
std::string ClockTimeUtc(double unix_seconds);               // "18:31:05 UTC"
std::string IsoTimeUtc(std::optional<double> unix_seconds);  // "2026-11-28T18:31:05Z" or ""

// Minimal HTML escaping for text we build outside templates (& < > " ').
std::string HtmlEscape(const std::string& s);

}  // namespace observd
