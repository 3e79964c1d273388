// SseWriter formats Server-Sent Events onto a CivetWeb connection as HTTP chunks
// (the response is sent with Transfer-Encoding: chunked): multi-line data
// is split into one "data:" line each, CR characters are dropped. Used by one
// handler thread at a time; not shared.
#pragma once

#include <string>
#include <string_view>

struct mg_connection;

namespace observd {

// Formats one event ("event: <name>\ndata: ...\n\n"). Pure; exposed for tests.
std::string FormatSseEvent(std::string_view name, std::string_view data);

class SseWriter {
 public:
  explicit SseWriter(mg_connection* conn) : conn_(conn) {}
  // Each returns false once the client has gone away.
  bool Event(std::string_view name, std::string_view data);
  bool Comment(std::string_view text);
  bool Retry(int milliseconds);
  // Ends the chunked stream (the terminating empty chunk).
  void End();

 private:
  bool Write(const std::string& s);
  mg_connection* const conn_;
};

}  // namespace observd
