"""The start-up snapshot: the app started once at build time, in Chromium, and kept.

A visitor's worker would boot Python, load 21 packages, import Panel and build the app: most of
the page's start. The build does that once, with the site's own worker (app.js?make-snapshot) and
the maker's module beside it (snapshot_maker.js, served as make-snapshot.js only while it runs: it
records where numpy's libraries go, warms the app up and hands the start over), and keeps what the
worker hands back:
- snapshot/memory.bin: Python's whole wasm memory after the app was built, less the runtime's own
  static data (memory_delta.py; zstd);
- snapshot/files.bin: the files Pyodide installed in site-packages that a first answer may read
  (zstd: templates, data files, the libraries replayed);
- snapshot/later.bin: the rest of them, the bytecode of modules not imported while the start was made
  and the libraries not replayed (zstd), fetched with Pyodide's standard library after the first answer;
- snapshot/no-stdlib.zip: an empty zip Pyodide installs as the standard library at start (its modules
  that Python imported are in the memory; the real zip comes with later.bin);
- the app's first render: prerendered into index.html (its document in the element PRERENDERED_DOCS), so
  the worker sends the page only its ids (in SNAPSHOT.render) as soon as the memory is back;
- in saved-start.js (templates/saved_start.js), `SNAPSHOT`: these files' sha256 and sizes and where
  numpy's wasm libraries were loaded, so the worker loads them again at the same addresses.
- snapshot/unzstd.wasm: zstd's decoder (put there by build.py from the pinned zstddec package), which
  the worker's templates/unzstd.js drives.
The files are zstd streams under a neutral name, unpacked by the worker itself, so no host can
mistake them for content it should decode. zstd at level 22 with a 32 MB window: 27 % smaller than gzip -6 (the memory
13.3 MB against 18.2) and quicker to unpack; ~20 s of the build's 2 cores.
"""
import hashlib
import json
import re
import struct
import subprocess
import sys
import tempfile
from html import escape as html_escape
from pathlib import Path

import zstandard

from sitebuild import chromium, memory_delta
from sitebuild.convert import PRERENDER_END, PRERENDER_START, SAVED_START, prerender_template
from sitebuild.serve import serve_in_thread, url_of

FOLDER = "snapshot"
DECODER = "unzstd.wasm"   # in FOLDER
ZSTD_LEVEL = 22   # zstd's strongest: ~100 KB less to download than level 19's 8 MB window, ~10 s more build
# A 32 MB window (level 22's own is 128 MB): the memory repeats itself further apart than 8 MB, and the visitor's
# decoder holds the window while it unpacks the memory.
ZSTD_WINDOW_LOG = 25
EMPTY = "const SNAPSHOT = null   // filled in by sitebuild/snapshot.py"
MAKER = Path(__file__).parent / "snapshot_maker.js"
MAKER_MODULE = "make-snapshot.js"   # where app.js?make-snapshot imports it from
TIMEOUT_MS = 600_000
# Pyodide's files a restoring worker downloads besides the snapshot (pyodide.mjs comes with app.js).
RUNTIME_FILES = ("pyodide.asm.wasm", "pyodide.asm.js")
STDLIB = "python_stdlib.zip"       # Pyodide's, in pyodide/: fetched with later.bin
NO_STDLIB = "no-stdlib.zip"        # in FOLDER: the standard library a restore starts with
EMPTY_ZIP = b"PK\x05\x06" + bytes(18)   # a zip's end record, naming no file
PRERENDERED_DOCS = "playground-prerendered-docs"   # the id of the page's element holding the first document
# A page on the site's origin (answered by the test browser, never a file of the site) that starts
# the worker in snapshot mode and hands its answer over as one download:
# [u32 length of the JSON][JSON: render, dynlibs, tableLength, boot][memory][files][later files].
MAKER_PATH = "make-snapshot.html"
MAKER_PAGE = """<!doctype html><script>
const worker = new Worker('./app.js?make-snapshot', {type: 'module'})
window.made = new Promise((resolve, reject) => {
  worker.onerror = (event) => reject(new Error(event.message))
  worker.onmessage = (event) => {
    const msg = event.data
    if (msg.type === 'error') { reject(new Error(msg.msg)) }
    if (msg.type !== 'snapshot') { return }
    const meta = new TextEncoder().encode(JSON.stringify(
      {render: msg.render, dynlibs: msg.dynlibs, tableLength: msg.tableLength, boot: msg.boot, loadedPackages: msg.loadedPackages,
       heap: msg.heap,
       memoryLength: msg.memory.length, filesLength: msg.files.length, laterLength: msg.later.length}))
    const length = new Uint8Array(new Uint32Array([meta.length]).buffer)
    const link = document.createElement('a')
    link.href = URL.createObjectURL(new Blob([length, meta, msg.memory, msg.files, msg.later]))
    link.download = 'snapshot'
    document.body.append(link)
    link.click()
    resolve(true)
  }
})
</script>"""


def make(site: Path) -> None:
    """Run the site's worker in snapshot mode; write snapshot/ and fill in saved-start.js. In a process of its
    own: Playwright's sync API cannot run where an asyncio loop runs (a pytest run's, for one)."""
    subprocess.run([sys.executable, "-m", "sitebuild.snapshot", str(site)], check=True,
                   cwd=Path(__file__).resolve().parents[1])


def _make(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    maker = site / MAKER_MODULE
    maker.write_bytes(MAKER.read_bytes())   # served only while the start is made
    server = serve_in_thread(site)
    url = url_of(server)
    logs = []
    try:
        with sync_playwright() as playwright:
            browser = chromium.launch(playwright)
            try:
                page = browser.new_page(accept_downloads=True)
                page.route(url + MAKER_PATH, lambda route: route.fulfill(content_type="text/html", body=MAKER_PAGE))
                page.on("console", lambda message: logs.append(message.text))
                page.goto(url + MAKER_PATH)
                with page.expect_download(timeout=TIMEOUT_MS) as download:
                    page.evaluate("() => window.made", None)
                raw = Path(tempfile.mkdtemp()) / "snapshot.raw"
                download.value.save_as(raw)
            finally:
                browser.close()
    except Exception as error:
        raise SystemExit(f"the start-up snapshot could not be made: {error}\nworker said: {logs[-5:]}") from error
    finally:
        server.shutdown()
        maker.unlink()
    try:
        return write(site, raw.read_bytes())
    finally:
        raw.unlink()
        raw.parent.rmdir()


def write(site: Path, raw: bytes) -> dict:
    (meta_length,) = struct.unpack_from("<I", raw)
    meta = json.loads(raw[4:4 + meta_length])
    memory_start = 4 + meta_length
    files_start = memory_start + meta["memoryLength"]
    later_start = files_start + meta["filesLength"]
    parts = {"memory": raw[memory_start:files_start], "files": raw[files_start:later_start],
             "later": raw[later_start:later_start + meta["laterLength"]]}
    folder = site / FOLDER
    manifest = {key: meta[key] for key in ("dynlibs", "tableLength", "boot", "loadedPackages")}
    files = memory_delta.image_files(parts["files"])
    replayed = [(lib["name"], lib["memoryBase"], files[lib["name"]])
                for lib in meta["dynlibs"] if lib["global"] or lib.get("imported") is not False]   # saved_start.js replayed()
    parts["memory"], delta = memory_delta.xor_out(parts["memory"], (site / "pyodide" / RUNTIME_FILES[0]).read_bytes(),
                                                  replayed)
    decoder = (folder / DECODER).read_bytes()
    manifest["decoder"] = {"url": f"./{FOLDER}/{DECODER}", "sha256": hashlib.sha256(decoder).hexdigest()}
    # zstd's checksum catches a damaged file; the frame says its size, so the worker knows it too.
    params = zstandard.ZstdCompressionParameters.from_level(ZSTD_LEVEL, window_log=ZSTD_WINDOW_LOG, threads=-1,
                                                            write_checksum=True)
    compressor = zstandard.ZstdCompressor(compression_params=params)
    for name, data in parts.items():
        # Each starts with its own sha256, which the worker compares with the one saved-start.js names.
        digest = hashlib.sha256(data).digest()
        packed = compressor.compress(digest + data)
        (folder / f"{name}.bin").write_bytes(packed)
        manifest[name] = {"url": f"./{FOLDER}/{name}.bin", "sha256": digest.hex(), "length": len(data),
                          "download": len(packed)}
    manifest["memory"]["delta"] = delta
    # The page holds the document itself (prerender_worker_render); the render names where.
    manifest["render"] = {"render_items": meta["render"]["render_items"], "root_ids": meta["render"]["root_ids"],
                          "docs_in_page": PRERENDERED_DOCS}
    # The rest of what a start downloads, for the loader's count (the page's own scripts aside).
    manifest["runtime"] = {name: (site / "pyodide" / name).stat().st_size for name in RUNTIME_FILES}
    (folder / NO_STDLIB).write_bytes(EMPTY_ZIP)
    manifest["stdlib"] = {"url": f"./pyodide/{STDLIB}", "start": f"./{FOLDER}/{NO_STDLIB}"}
    prerender_worker_render(site / "index.html", meta["render"])
    module = site / SAVED_START
    script = module.read_text()
    if script.count(EMPTY) != 1:
        raise SystemExit(f"{SAVED_START} has no `{EMPTY}` line to fill in: update sitebuild/snapshot.py")
    module.write_text(script.replace(EMPTY, f"const SNAPSHOT = {json.dumps(manifest)}"))
    return {"memory_mb": round(len(parts["memory"]) / 1e6, 1), "files_mb": round(len(parts["files"]) / 1e6, 1),
            "dynlibs": f'{sum(lib.get("imported", True) for lib in meta["dynlibs"])} of {len(meta["dynlibs"])} replayed',
            "download_mb": {name: round(manifest[name]["download"] / 1e6, 1) for name in parts},
            "c_heap_mb": {key: round(value / 1e6, 1) for key, value in (meta.get("heap") or {}).items()}}


def manifest(site: Path) -> dict:
    """The SNAPSHOT that write() put into the site's saved-start.js."""
    found = re.search(r"^const SNAPSHOT = (\{.*\})$", (site / SAVED_START).read_text(), re.M)
    if not found:
        raise ValueError(f"{site / SAVED_START} names no saved start")
    return json.loads(found.group(1))


def prerender_worker_render(page: Path, render: dict) -> None:
    """The page prerenders the worker's first render instead of the build's own run of the app, so the
    page keeps what it drew when the worker starts (the render branch of templates/page.js). Bokeh's part of
    the plot script, after Panel's page script (the two templates mark where it is), is made again as Bokeh
    makes it, from the worker's render; its roots find their elements in the page
    (templates/prerender_items.js), whose data-root-id attributes the page script still uses when a worker
    started from scratch sends another document."""
    html = page.read_text()
    if html.count(PRERENDER_START) != 1 or html.count(PRERENDER_END) != 1:
        raise SystemExit("the page does not mark its prerendered document once: see templates/page.js, page.html")
    head, rest = html.split(PRERENDER_START)
    page_script_end = rest.index("</script>") + len("</script>")
    _, tail = rest.split(PRERENDER_END)
    page.write_text(head + PRERENDER_START + rest[:page_script_end] + plot_script(render) + PRERENDER_END + tail)


def plot_script(render: dict) -> str:
    """As Bokeh's html_page_for_render_items writes it: the documents as JSON, then the script that draws them."""
    from bokeh.embed.wrappers import wrap_in_onload, wrap_in_safely, wrap_in_script_tag

    docs = wrap_in_script_tag(html_escape(render["docs_json"], quote=False), "application/json", PRERENDERED_DOCS)
    draw = prerender_template().render(docs_json=f"document.getElementById('{PRERENDERED_DOCS}').textContent",
                                       render_items=render["render_items"], root_ids=render["root_ids"])
    return docs + wrap_in_script_tag(wrap_in_onload(wrap_in_safely(draw)))


if __name__ == "__main__":
    print(f"start-up snapshot: {_make(Path(sys.argv[1]))}")
