// Request is what a handler may know of an HTTP request: the decoded path, the raw
// query string, the method class and the headers observd acts on. Built once per
// request from CivetWeb's request info; it borrows the connection, so it lives only
// as long as the handler call. Not shared between threads.
#pragma once

#include <optional>
#include <string>

#include "util/result.h"

struct mg_connection;

namespace observd {

struct Request {
  mg_connection* conn = nullptr;
  std::string path;             // percent-decoded by CivetWeb; "" when it was malformed
  bool path_ok = true;          // false: a bad escape or NUL in the path
  const char* query = nullptr;  // raw query string or nullptr
  std::string method;
  std::string remote_addr;  // the peer's IP address (nginx's, behind the front)
  bool head = false;        // HEAD: headers only
  bool has_body = false;    // Content-Length > 0 or Transfer-Encoding present
  Result<> framing;         // http/framing.h: an ambiguous request is refused before routing
  bool htmx = false;        // HX-Request: true
  bool gzip = false;        // Accept-Encoding allows gzip

  // A request header's value, or nullptr.
  const char* Header(const char* name) const;
  bool is_get() const { return method == "GET" || head; }
};

// Reads the request CivetWeb parsed on `conn`.
Request ReadRequest(mg_connection* conn);

}  // namespace observd
