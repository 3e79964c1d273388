// ExpositionFormat chooses what GET /metrics answers from the request's Accept header:
// the Prometheus text format 0.0.4 or OpenMetrics (1.0.0, or 0.0.1 when only that is
// asked; the bodies are the same), and the exact Content-Type that says so. Pure
// functions of their arguments; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace observd {

enum class ExpositionFormat { kText004, kOpenMetrics100, kOpenMetrics001 };

// The `escaping` parameter of the chosen Accept entry (Prometheus 3 names schemes for
// UTF-8 metric names). observd's names are all legacy-valid, which every scheme leaves
// as they are (as client_golang does), so it only changes the echoed Content-Type.
enum class NameEscaping { kUnspecified, kAllowUtf8, kUnderscores, kDots, kValues };

struct Exposition {
  ExpositionFormat format = ExpositionFormat::kText004;
  NameEscaping escaping = NameEscaping::kUnspecified;
  bool operator==(const Exposition&) const = default;
};

// Chooses by the HTTP rules: for each format, the q of the most specific Accept range
// that matches it (exact type and version, then type, then */*); the highest q > 0
// wins, ties go to the range listed first, then to text 0.0.4. `application/
// openmetrics-text` without a version means 1.0.0 (the OpenMetrics default), `text/plain`
// without one 0.0.4. A missing, empty or unparsable header, `*/*`, and a header naming
// nothing observd writes all get text 0.0.4 (never 406, as exporters do). An unknown
// escaping value is ignored.
Exposition NegotiateExposition(std::string_view accept);

// True for both OpenMetrics versions (one body serves both).
bool IsOpenMetrics(ExpositionFormat format);

// The exact Content-Type, e.g. "application/openmetrics-text; version=1.0.0;
// charset=utf-8", with "; escaping=<scheme>" appended when one was negotiated.
std::string ContentType(const Exposition& exposition);

}  // namespace observd
