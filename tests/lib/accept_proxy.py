"""AcceptProxy: a loopback HTTP forwarder that pins the Accept header.

Owns one ThreadingHTTPServer on a free loopback port that forwards GETs to
127.0.0.1:<target_port> with Accept replaced: a scraper pinned to one exposition
format (for a Prometheus too old for `scrape_protocols`). close() stops it.
"""

import http.client
import http.server
import threading

__all__ = ["AcceptProxy"]


class AcceptProxy:
    """Forwards GETs to 127.0.0.1:`target_port` with the Accept header set to `accept`."""

    def __init__(self, target_port, accept):
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - http.server's naming
                conn = http.client.HTTPConnection("127.0.0.1", target_port, timeout=10)
                try:
                    conn.request("GET", self.path, headers={"Accept": accept})
                    r = conn.getresponse()
                    body = r.read()
                finally:
                    conn.close()
                proxy.requests += 1
                self.send_response(r.status)
                self.send_header("Content-Type", r.getheader("Content-Type", ""))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.requests = 0
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
