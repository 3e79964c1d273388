// CSV export of the site's data (RFC 4180: CRLF rows, quoted fields where needed, and a
// leading quote on cells a spreadsheet would run as a formula). Unknown values are empty
// cells, never 0. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/history_rows.h"
#include "model/history_view.h"
#include "render/uploads_query.h"

namespace observd {

std::string CsvField(const std::string& s);

// One time series: header "time,<value_name>", ISO times, empty cell for unknown.
std::string SeriesCsv(const std::string& value_name,
                      const std::vector<std::pair<double, std::optional<double>>>& points);

// Several series under one label column: header "time,<label>,<value_name>".
std::string LabelledSeriesCsv(
    const std::string& label, const std::string& value_name,
    const std::vector<
        std::pair<std::string, std::vector<std::pair<double, std::optional<double>>>>>& series);

// Redis latency per bucket of a window: "time,pings,failed,min_ms,mean_ms,max_ms,p99_ms",
// one row per bucket start in `starts`; a bucket without a row (not observed) has empty
// cells, never zeros.
std::string LatencyBucketsCsv(const std::vector<int64_t>& starts,
                              const std::vector<MinuteRow>& rows);

// Chart annotations: "start,end,kind,text", ISO times; `end` empty for a mark and for an
// outage still going on.
std::string AnnotationsCsv(const std::vector<Annotation>& notes);

// The uploads table with the same columns as the page (raw bytes and ISO time).
std::string UploadsCsv(const std::vector<const Upload*>& rows);

// The file name of a download, so two exports never share one: "observd-<what>-<from>-
// <to>.csv" for a window, "observd-<what>-<to>.csv" for a view as of one time, with UTC
// times to the minute ("20261202T1012Z"); `what` is a slug ("uploads-per-minute").
std::string CsvFileName(const std::string& what, std::optional<double> from, double to);

}  // namespace observd
