"""The built site served for the other engines, with what those engines cannot tell a test by themselves.

WebKit's WebDriver has no console log and no script that runs before the page's own: this server puts a small
recorder at the top of every HTML page it sends, which posts each console error, uncaught error and rejected
promise (and each console warning) back to the server, so the records survive reloads and cover iframes.
It also serves a course page, /course.html?src=URL, holding the playground in an iframe (ask for it through
another host name, e.g. localhost, and the playground's own origin stays 127.0.0.1: a cross-origin embed).
"""
import email.utils
import html
import io
import json
import re
import threading
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from sitebuild.serve import SiteHandler, make_server, url_of

RECORDER = """<script>
// Added by the test server (tests/engines/site.py): console errors and warnings go back to it.
(() => {
  const send = (kind, parts) => {
    const text = parts.map((part) => part instanceof Error ? `${part.name}: ${part.message}` :
      typeof part === 'string' ? part : (() => { try { return JSON.stringify(part) } catch (e) { return String(part) } })()
    ).join(' ');
    fetch('/__console', {method: 'POST', keepalive: true,
                         body: JSON.stringify({kind, text: text.slice(0, 2000), at: location.href})}).catch(() => {});
  };
  for (const [name, kind] of [['error', 'error'], ['warn', 'warning']]) {
    const original = console[name];
    console[name] = function (...parts) { send(kind, parts); return original.apply(this, parts); };
  }
  // (A ResizeObserver loop is a notification, not an exception: Chromium's page errors leave it out too.)
  addEventListener('error', (event) => {
    if (event.error || !/^ResizeObserver loop/.test(event.message)) send('error', ['uncaught: ' + (event.error || event.message)]);
  });
  addEventListener('unhandledrejection', (event) => send('error', ['unhandled rejection:', event.reason]));
})();
</script>"""
COURSE_PAGE = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Week 3: backpropagation</title>'
               '<link rel="icon" href="data:,"></head><body style="margin:20px"><h1>Week 3</h1>'
               '<iframe src="{src}" width="{width}" height="{height}" style="border:0" title="micrograd playground">'
               '</iframe></body></html>')


def with_recorder(page: bytes, head_script: str = "") -> bytes:
    """The HTML page with the recorder (and `head_script`, if any) as the first things in its head."""
    added = RECORDER + (f"<script>{head_script}</script>" if head_script else "")
    return re.sub(rb"<head[^>]*>", lambda m: m.group(0) + added.encode(), page, count=1, flags=re.I)


def recording_handler(records: list, settings: dict, base=SiteHandler):
    """A handler class (a subclass of `base`) that adds the recorder to HTML pages and appends what it
    posts to `records` as {kind, text, at}; while settings["worker_prefix"] is set, the worker's script
    (app.js) starts with it (e.g. a wait for a message: tests type before Python can answer); settings["head_script"]
    is a script put in each page's head after the recorder (a benchmark's records of the loader's stages)."""

    class Recording(base):
        def do_GET(self):
            parts = urlsplit(self.path)
            if parts.path == "/course.html":
                query = parse_qs(parts.query)
                page = COURSE_PAGE.format(src=html.escape(query["src"][0]), width=int(query.get("width", ["800"])[0]),
                                          height=int(query.get("height", ["600"])[0]))
                return self.send_page(page.encode())
            file = Path(self.translate_path(parts.path))
            if file.is_dir():
                file = file / "index.html"
            if file.suffix == ".html" and file.is_file():
                # Cached as the plain server's pages are (Last-Modified): a warm load revalidates, no more.
                modified = email.utils.formatdate(file.stat().st_mtime, usegmt=True)
                if self.headers.get("If-Modified-Since") == modified:
                    self.send_response(HTTPStatus.NOT_MODIFIED)
                    self.end_headers()
                    return None
                return self.send_page(with_recorder(file.read_bytes(), settings.get("head_script", "")),
                                      cache=None, modified=modified)
            if parts.path == "/app.js" and settings.get("worker_prefix"):
                return self.send_page(settings["worker_prefix"].encode() + file.read_bytes(), "text/javascript",
                                      "no-store")
            return super().do_GET()

        def send_page(self, body: bytes, content_type="text/html; charset=utf-8", cache="no-cache",
                      modified=None) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if cache:
                self.send_header("Cache-Control", cache)
            if modified:
                self.send_header("Last-Modified", modified)
            self.end_headers()
            self.copyfile(io.BytesIO(body), self.wfile)   # (a counting server counts what goes through copyfile)

        def do_POST(self):
            if urlsplit(self.path).path != "/__console":
                return self.send_error(HTTPStatus.NOT_FOUND)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                records.append(json.loads(body))
            except ValueError:
                records.append({"kind": "error", "text": f"unreadable record: {body[:200]!r}", "at": ""})
            self.send_response(HTTPStatus.NO_CONTENT)
            self.end_headers()

    return Recording


class RecordingSite:
    """The site served on 127.0.0.1 in a background thread; `records` collects what its pages post,
    `settings` changes what it serves (see recording_handler)."""

    def __init__(self, site_dir: Path, base=SiteHandler):
        self.records = []
        self.settings = {"worker_prefix": "", "head_script": ""}
        self.server = make_server(site_dir, handler_class=recording_handler(self.records, self.settings, base))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = url_of(self.server)
        self.origin = self.url.rstrip("/")
        self.course_origin = self.origin.replace("127.0.0.1", "localhost")

    def course_url(self, src: str, width: int = 800, height: int = 600) -> str:
        """A course page on another origin (localhost, same port) embedding `src` in an iframe."""
        return f"{self.course_origin}/course.html?src={quote(src, safe='')}&width={width}&height={height}"

    def errors(self) -> list[str]:
        return [record["text"] for record in self.records if record.get("kind") == "error"]

    def warnings(self) -> list[str]:
        return [record["text"] for record in self.records if record.get("kind") == "warning"]

    def shutdown(self) -> None:
        self.server.shutdown()
