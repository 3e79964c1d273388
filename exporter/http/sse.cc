#include "http/sse.h"

#include <civetweb.h>
#include <fmt/format.h>

namespace observd {
namespace {

// One HTTP/1.1 chunk ("<hex size>\r\n<bytes>\r\n"; empty: the last chunk) in one
// write: mg_send_chunk writes size, bytes and CRLF as three packets.
bool SendChunk(mg_connection* conn, std::string_view bytes) {
  std::string chunk = fmt::format("{:x}\r\n", bytes.size());
  chunk.reserve(chunk.size() + bytes.size() + 2);
  chunk += bytes;
  chunk += "\r\n";
  return mg_write(conn, chunk.data(), chunk.size()) == static_cast<int>(chunk.size());
}

}  // namespace

std::string FormatSseEvent(std::string_view name, std::string_view data) {
  std::string out;
  out.reserve(data.size() + name.size() + 32);
  out += "event: ";
  out += name;
  out += '\n';
  size_t pos = 0;
  while (true) {
    size_t end = data.find('\n', pos);
    std::string_view line = data.substr(pos, end == std::string_view::npos ? end : end - pos);
    out += "data: ";
    for (char c : line) {
      if (c != '\r') out += c;
    }
    out += '\n';
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  out += '\n';
  return out;
}

bool SseWriter::Write(const std::string& plain) {
  std::string packed;
  if (gz_) {
    packed = gz_->Write(plain);
    if (packed.empty()) return false;
  }
  const std::string& s = gz_ ? packed : plain;
  return SendChunk(conn_, s);
}

void SseWriter::End() {
  if (gz_) {
    std::string tail = gz_->Finish();
    if (!tail.empty()) SendChunk(conn_, tail);
  }
  SendChunk(conn_, "");
}

bool SseWriter::Event(std::string_view name, std::string_view data) {
  return Write(FormatSseEvent(name, data));
}

bool SseWriter::Comment(std::string_view text) { return Write(": " + std::string(text) + "\n\n"); }

bool SseWriter::Retry(int ms) { return Write("retry: " + std::to_string(ms) + "\n\n"); }

}  // namespace observd
