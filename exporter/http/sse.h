// SseWriter formats Server-Sent Events onto a CivetWeb connection as HTTP chunks
// (the response is sent with Transfer-Encoding: chunked): multi-line data
// is split into one "data:" line each, CR characters are dropped. With gzip, the
// stream is one gzip member flushed after every event. Used by one handler thread at a
// time; not shared.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "util/gzip_stream.h"

struct mg_connection;

namespace observd {

// Formats one event ("event: <name>\ndata: ...\n\n"). Pure; exposed for tests.
std::string FormatSseEvent(std::string_view name, std::string_view data);

class SseWriter {
 public:
  SseWriter(mg_connection* conn, bool gzip)
      : conn_(conn), gz_(gzip ? std::make_unique<GzipStream>() : nullptr) {}
  // Each returns false once the client has gone away.
  bool Event(std::string_view name, std::string_view data);
  bool Comment(std::string_view text);
  bool Retry(int milliseconds);
  // Ends the chunked stream (the terminating empty chunk).
  void End();

 private:
  bool Write(const std::string& s);
  mg_connection* const conn_;
  std::unique_ptr<GzipStream> gz_;
};

}  // namespace observd
