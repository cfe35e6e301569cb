"""The local server gives Pyodide's files the MIME types browsers insist on."""
import urllib.request

from sitebuild.serve import serve_in_thread, url_of


def test_wasm_and_module_scripts_are_served_with_their_mime_types(tmp_path):
    (tmp_path / "core.wasm").write_bytes(b"\0asm")
    (tmp_path / "loader.mjs").write_text("export {}")
    (tmp_path / "index.html").write_text("<p>hi</p>")
    server = serve_in_thread(tmp_path)
    try:
        url = url_of(server)
        assert url.startswith("http://127.0.0.1:")
        types = {name: urllib.request.urlopen(url + name).headers["Content-Type"]
                 for name in ["core.wasm", "loader.mjs", "index.html"]}
    finally:
        server.shutdown()
    assert types["core.wasm"] == "application/wasm"
    assert types["loader.mjs"] == "text/javascript"
    assert types["index.html"].startswith("text/html")


def test_build_py_serve_serves_the_built_site_and_prints_its_url(site_dir):
    import subprocess
    import sys

    import build

    server = subprocess.Popen([sys.executable, "build.py", "serve", "--port", "0"], cwd=build.ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        while line and "serving the playground at" not in line:
            line = server.stdout.readline()  # "building ... first" when the sources changed meanwhile
        url = line.split(" at ")[1].split()[0]
        assert url.startswith("http://127.0.0.1:")
        page = urllib.request.urlopen(url).read().decode()
        wasm = urllib.request.urlopen(url + "pyodide/pyodide.asm.wasm")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "app.js" in page and "register-sw.js" in page
    assert wasm.headers["Content-Type"] == "application/wasm"
