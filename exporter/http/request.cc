#include "http/request.h"

#include <civetweb.h>

#include <cstring>

#include "http/framing.h"
#include "util/gzip.h"

namespace observd {

const char* Request::Header(const char* name) const { return mg_get_header(conn, name); }

Request ReadRequest(mg_connection* conn) {
  const mg_request_info* info = mg_get_request_info(conn);
  Request req;
  req.conn = conn;
  // CivetWeb has already percent-decoded the path; it is only ever compared with
  // the route table and the in-memory file map, never used as a file name.
  req.path_ok = info->local_uri_raw != nullptr;
  if (req.path_ok) req.path = info->local_uri_raw;
  req.query = info->query_string;
  req.method = info->request_method ? info->request_method : "";
  req.head = req.method == "HEAD";
  req.remote_addr = info->remote_addr;
  const char* length = req.Header("Content-Length");
  req.has_body =
      (length && std::strcmp(length, "0") != 0) || req.Header("Transfer-Encoding") != nullptr;
  req.framing = CheckFraming(ReadWireRequest(*info));
  const char* hx = req.Header("HX-Request");
  req.htmx = hx && std::strcmp(hx, "true") == 0;
  req.gzip = AcceptsGzip(req.Header("Accept-Encoding"));
  return req;
}

}  // namespace observd
