"""Serve the built site on 127.0.0.1 with the MIME types Pyodide needs.

Browsers compile WebAssembly while it streams only when it arrives as
application/wasm, and load module scripts (.mjs) only as JavaScript.
"""
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".css": "text/css",
    ".svg": "image/svg+xml",
}


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def log_message(self, format, *args):  # one line per request is noise in tests and benchmarks
        pass


def make_server(site: Path, port: int = 0, handler_class=SiteHandler) -> ThreadingHTTPServer:
    """A server for `site` on 127.0.0.1; port 0 picks a free port."""
    handler = functools.partial(handler_class, directory=str(site))
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/"


def serve_in_thread(site: Path, port: int = 0) -> ThreadingHTTPServer:
    """Start serving in a background thread; call .shutdown() to stop."""
    server = make_server(site, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
