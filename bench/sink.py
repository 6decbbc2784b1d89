"""A plain file-writing HTTP sink on loopback, the baseline for the evidence benchmark.

python3 bench/sink.py PORT DIR : PUT /name streams the body to DIR/name (1 MiB chunks); GET serves files from DIR.
"""
import http.server
import os
import sys
from functools import partial

CHUNK = 1 << 20


class Sink(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_PUT(self):
        name = os.path.basename(self.path)
        remaining = int(self.headers.get("Content-Length", "0"))
        with open(os.path.join(self.directory, name), "wb") as out:
            while remaining > 0:
                chunk = self.rfile.read(min(CHUNK, remaining))
                if not chunk:
                    break
                out.write(chunk)
                remaining -= len(chunk)
            out.flush()
            os.fsync(out.fileno())
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port, directory = int(sys.argv[1]), sys.argv[2]
    http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(Sink, directory=directory)).serve_forever()
