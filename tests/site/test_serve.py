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
