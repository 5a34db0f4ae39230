"""Loopback: a tiny HTTP/1.1 keep-alive server on 127.0.0.1 answering every GET with one JSON body.

    python benchmarks/loopback.py        # prints the URL, then serves until stdin closes

Stand-alone (standard library only) and run as its own process, so the client under test has its
interpreter to itself. It stops by itself when its parent closes stdin, or after ten minutes.
"""

import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = b'{"signed_url": "wss://api.example.test/v1/convai/conversation?token=abc", "conversation_id": "conv_1"}'
LIFETIME = 600.0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):
        # One write per response: headers and body together.
        head = (
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            f"content-length: {len(BODY)}\r\n\r\n"
        ).encode("ascii")
        self.wfile.write(head + BODY)

    def log_message(self, format, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    stopper = threading.Timer(LIFETIME, server.shutdown)
    stopper.daemon = True
    stopper.start()
    sys.stdin.read()  # returns when the parent closes our stdin (or exits)
    server.shutdown()


if __name__ == "__main__":
    main()
