#include "render/csv.h"

#include <fmt/format.h>

#include "render/format.h"

namespace observd {

std::string CsvField(const std::string& s) {
  // =, +, -, @, tab, CR at the start make spreadsheets evaluate the cell.
  const bool formula =
      !s.empty() && std::string_view("=+-@\t\r").find(s[0]) != std::string_view::npos;
  if (!formula && s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = formula ? "\"'" : "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string SeriesCsv(const std::string& value_name,
                      const std::vector<std::pair<double, std::optional<double>>>& points) {
  std::string out = "time," + CsvField(value_name) + "\r\n";
  for (const auto& [t, v] : points) {
    out += IsoTimeUtc(t);
    out += ',';
    if (v) out += fmt::format("{}", *v);
    out += "\r\n";
  }
  return out;
}

std::string LabelledSeriesCsv(
    const std::string& label, const std::string& value_name,
    const std::vector<
        std::pair<std::string, std::vector<std::pair<double, std::optional<double>>>>>& series) {
  std::string out = "time," + CsvField(label) + "," + CsvField(value_name) + "\r\n";
  for (const auto& [name, points] : series) {
    for (const auto& [t, v] : points) {
      out += IsoTimeUtc(t) + "," + CsvField(name) + ",";
      if (v) out += fmt::format("{}", *v);
      out += "\r\n";
    }
  }
  return out;
}

std::string LatencyBucketsCsv(const std::vector<int64_t>& starts,
                              const std::vector<MinuteRow>& rows) {
  std::string out = "time,pings,failed,min_ms,mean_ms,max_ms,p99_ms\r\n";
  auto cell = [&out](std::optional<double> v) {
    out += ',';
    if (v) out += fmt::format("{}", *v);
  };
  auto row = rows.begin();
  for (int64_t t : starts) {
    while (row != rows.end() && row->t < t) ++row;
    out += IsoTimeUtc(static_cast<double>(t));
    if (row != rows.end() && row->t == t) {
      out += fmt::format(",{},{}", row->samples, row->failed);
      for (auto v : {row->min_ms, row->mean_ms, row->max_ms, row->p99_ms}) cell(v);
    } else {
      out += ",,,,,,";
    }
    out += "\r\n";
  }
  return out;
}

std::string AnnotationsCsv(const std::vector<Annotation>& notes) {
  std::string out = "start,end,kind,text\r\n";
  for (const Annotation& a : notes) {
    out += IsoTimeUtc(a.t) + ',' + IsoTimeUtc(a.end) + ',' + CsvField(a.kind) + ',' +
           CsvField(a.text) + "\r\n";
  }
  return out;
}

std::string UploadsCsv(const std::vector<const Upload*>& rows) {
  std::string out = "id,filename,user,size_bytes,content_type,status,created_at\r\n";
  for (const Upload* u : rows) {
    out += CsvField(u->id) + ',' + CsvField(u->filename) + ',' + CsvField(u->user) + ',';
    if (u->size) out += std::to_string(*u->size);
    out += ',' + CsvField(u->content_type) + ',' + CsvField(u->status) + ',';
    out += IsoTimeUtc(u->created_at) + "\r\n";
  }
  return out;
}

namespace {

// "2026-12-02T10:12:05Z" -> "20261202T1012Z"; "" for a time we could not have written.
std::string CompactUtc(double t) {
  std::string iso = IsoTimeUtc(t);
  if (iso.size() != 20) return "";
  std::string out;
  for (char c : iso.substr(0, 16)) {
    if (c != '-' && c != ':') out += c;
  }
  return out + "Z";
}

}  // namespace

std::string CsvFileName(const std::string& what, std::optional<double> from, double to) {
  std::string name = "observd-" + what;
  const std::string start = from ? CompactUtc(*from) : "";
  const std::string end = CompactUtc(to);
  if (!start.empty() && start != end) name += "-" + start;
  if (!end.empty()) name += "-" + end;
  return name + ".csv";
}

}  // namespace observd
