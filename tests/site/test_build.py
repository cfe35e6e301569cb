"""The built site: its lock, its URLs, its JS versions, and a rebuild from a damaged cache."""
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import bokeh
import panel

import build
from sitebuild import pins, snapshot
from sitebuild.convert import foreign_urls
from sitebuild.fetch import sha256_of

# What the build takes from downloads (not from this repository's sources, which others edit).
DOWNLOADED = re.compile(r"(pyodide/(?!micrograd_playground-|pyodide-lock\.json)|bokeh/|panel/|favicon\.ico)")


def link_or_copy(source, target):
    """Hard links are cheap; across file systems, copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def lock_of(site: Path) -> dict:
    return json.loads((site / "pyodide" / "pyodide-lock.json").read_text())


def test_the_served_lock_lists_every_shipped_wheel_with_sha256_and_depends(site_dir):
    packages = lock_of(site_dir)["packages"]
    shipped = {p.name for p in (site_dir / "pyodide").glob("*.whl")}
    assert {entry["file_name"] for entry in packages.values()} == shipped
    for name, entry in packages.items():
        assert entry["sha256"] == sha256_of(site_dir / "pyodide" / entry["file_name"]), name
        assert set(entry["depends"]) <= set(packages), name
    assert {"numpy", "bokeh", "panel", "param", "micrograd-playground"} <= set(packages)
    # The app never uses pandas: the site leaves it out, with what only pandas needs (build.py "no-pandas").
    assert not set(pins.ONLY_FOR_PANDAS) & set(packages)


def test_every_shipped_wheel_is_compiled_to_bytecode(site_dir):
    for wheel in (site_dir / "pyodide").glob("*.whl"):
        with zipfile.ZipFile(wheel) as archive:
            names = archive.namelist()
        modules = [n for n in names if n.endswith((".py", ".pyc")) and ".dist-info/" not in n]
        if wheel.name.startswith("micrograd_playground-"):   # sources kept, bytecode beside them
            assert all(f"__pycache__/" in n for n in modules if n.endswith(".pyc")), wheel.name
            assert len([n for n in modules if n.endswith(".pyc")]) == len([n for n in modules if n.endswith(".py")])
        else:
            assert modules and all(n.endswith(".pyc") for n in modules), wheel.name


def test_every_url_of_the_page_points_into_the_site(site_dir):
    page = (site_dir / "index.html").read_text()
    for text in (page, (site_dir / "app.js").read_text()):
        assert foreign_urls(text) == []
    local = set(re.findall(r"""(?:src|href)=["']\./([^"'?#]+)""", page))
    assert local, "the page references no local files"
    assert [path for path in local if not (site_dir / path).is_file()] == []


def test_the_page_loads_only_the_scripts_the_app_uses(site_dir):
    """BokehJS's MathJax and WebGL bundles and es-module-shims (for ES module components) are left out
    (sitebuild/convert.py is_unused_bundle): bytes before the first answer, and es-module-shims ran the
    page's DOMContentLoaded listeners a second time."""
    page = (site_dir / "index.html").read_text()
    scripts = re.findall(r"""<script[^>]*\bsrc=["']\./([^"'?#]+)""", page)
    assert f"bokeh/bokeh-{bokeh.__version__}.min.js" in scripts
    assert [s for s in scripts if re.search(r"es-module-shims|bokeh-(mathjax|gl)-", s)] == []
    assert "esms-options" not in page and "es-module-shims" not in page   # nor declared loaded to Panel


def test_page_js_versions_equal_the_python_versions_in_the_worker_and_the_build(site_dir):
    packages = lock_of(site_dir)["packages"]
    bokeh_version, panel_version = packages["bokeh"]["version"], packages["panel"]["version"]
    assert (bokeh_version, panel_version) == (bokeh.__version__, panel.__version__)
    bokehjs = (site_dir / "bokeh" / f"bokeh-{bokeh_version}.min.js").read_text()
    assert f'version="{bokeh_version}"' in bokehjs
    panel_wheel = build.CACHE / next(w.file_name for w in pins.PYPI_WHEELS if w.name == "panel")
    with zipfile.ZipFile(panel_wheel) as wheel:
        published = wheel.read("panel/dist/panel.min.js")
    assert (site_dir / "panel" / panel_version / "dist" / "panel.min.js").read_bytes() == published


def test_the_saved_start_is_the_one_saved_start_js_names_and_holds_what_python_reads(site_dir):
    """sitebuild/snapshot.py: each .bin is zstd(sha256 + payload) with zstd's checksum, saved-start.js names that
    sha256 and length, and the zstd decoder the worker uses is the pinned one."""
    import hashlib
    import struct

    import zstandard

    manifest = snapshot.manifest(site_dir)
    decoder = (site_dir / manifest["decoder"]["url"]).read_bytes()
    assert hashlib.sha256(decoder).hexdigest() == manifest["decoder"]["sha256"] == pins.ZSTDDEC_WASM_SHA256
    payloads = {}
    for part in ("memory", "files", "later"):
        packed = (site_dir / manifest[part]["url"]).read_bytes()
        assert zstandard.get_frame_parameters(packed).has_checksum
        assert len(packed) == manifest[part]["download"]
        raw = zstandard.ZstdDecompressor().decompress(packed, max_output_size=manifest[part]["length"] + 32)
        digest, payloads[part] = raw[:32], raw[32:]
        assert digest.hex() == hashlib.sha256(payloads[part]).hexdigest() == manifest[part]["sha256"]
        assert len(payloads[part]) == manifest[part]["length"]
    assert payloads["memory"][:4] != bytes(4)   # a heap, not an empty buffer

    def listing(image):
        (header_length,) = struct.unpack_from("<I", image)
        sizes = dict(json.loads(image[4:4 + header_length]))
        assert 4 + header_length + sum(sizes.values()) == len(image)
        return sizes

    sizes, later = listing(payloads["files"]), listing(payloads["later"])
    site_packages = "/lib/python3.12/site-packages/"
    assert all(path.startswith(site_packages) for path in [*sizes, *later])
    assert not set(sizes) & set(later)
    # Imported while the start was made: in the memory, their files left empty. Imported later (the
    # training view is built after the start, in idle time): in the later files, whole.
    assert sizes[site_packages + "playground/graph/__pycache__/view.cpython-312.pyc"] == 0
    assert sizes[site_packages + "bokeh/models/sources.pyc"] == 0
    assert later[site_packages + "playground/training/__pycache__/view.cpython-312.pyc"] > 1000
    assert later[site_packages + "playground/training/view.py"] > 1000   # sources come later, for tracebacks
    assert sizes[site_packages + "panel/theme/css/bootstrap.css"] > 0   # stylesheets Panel reads
    # What only pip and importlib.metadata.files() read comes later; versions and plugins stay at start.
    assert later[site_packages + "bokeh-3.10.2.dist-info/RECORD"] > 0
    assert sizes[site_packages + "bokeh-3.10.2.dist-info/METADATA"] > 0
    assert sizes[site_packages + "panel-1.10.0.dist-info/entry_points.txt"] > 0
    # A package not imported at start (xyzservices) comes later whole: its data is read after an import.
    assert later[site_packages + "xyzservices/data/providers.json"] > 0
    assert not [path for path in sizes if "/xyzservices/" in path]
    # The start has no bytecode of its own to read: only what the memory holds (empty) and data files.
    assert not [path for path, size in sizes.items() if path.endswith(".pyc") and size]
    # numpy's libraries: those replayed at start in the start's files, the others (numpy.random's) later.
    replayed = {lib["name"] for lib in manifest["dynlibs"] if lib["global"] or lib["imported"]}
    assert replayed and replayed <= {path for path, size in sizes.items() if path.endswith(".so") and size}
    assert [path for path in later if "numpy/random/" in path and path.endswith(".so")]
    # What no Python reads (type stubs, C headers, TypeScript sources, npm's lock, a JupyterLab extension) is left out.
    assert not [path for path in [*sizes, *later] if re.search(r"\.(pyi|h|ts|pxd)$|package-lock|labextension", path)]
    # The standard library comes later too: the start installs an empty zip in its place.
    assert (site_dir / manifest["stdlib"]["url"]).stat().st_size > 1_000_000
    with zipfile.ZipFile(site_dir / manifest["stdlib"]["start"]) as empty:
        assert empty.namelist() == []


def test_the_pages_own_css_is_in_the_head_once_not_in_every_component(site_dir):
    """Panel copies pn.config.raw_css into every component's stylesheets: the page's own rules (they style
    the template's header and drawer) go into the page's head instead, once, and the first render (the
    worker's, prerendered into index.html) carries none of them."""
    from html import unescape

    from playground.page import LAYOUT_CSS
    from playground.share import PAGE_CSS

    page = (site_dir / "index.html").read_text()
    render = unescape(prerendered_document(page))
    head, body = page.split("</head>", 1)
    for css in (PAGE_CSS, LAYOUT_CSS):
        rule = css.strip().splitlines()[0]
        assert rule not in render and json.dumps(rule)[1:-1] not in render
        assert head.count(rule) == 1
        assert json.dumps(rule)[1:-1] not in body   # nor in the prerendered document
    assert len(render) < 340_000   # 404 KB + the features since while the CSS went into each of ~120 components


def test_the_first_render_carries_panels_stylesheets_as_text(site_dir):
    """playground/inline_styles.py: the stylesheets Panel gives every component are inline in the prerendered
    document (the worker's first render), once each, their URLs relative to the page; what is still linked
    (the template's few models made as it renders, Bootstrap's whole CSS) is linked by one model each."""
    from html import unescape

    text = unescape(prerendered_document((site_dir / "index.html").read_text()))
    sheets = {}

    def walk(value):
        if isinstance(value, dict):
            if value.get("name") in ("ImportedStyleSheet", "InlineStyleSheet"):
                sheets[value["id"]] = (value["name"], value["attributes"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
    walk(json.loads(text))
    uses = {key: 1 + text.count(json.dumps({"id": key})) for key in sheets}
    imported = {key for key, (name, _) in sheets.items() if name == "ImportedStyleSheet"}
    assert all(uses[key] == 1 for key in imported), {sheets[key][1]["url"]: uses[key] for key in imported}
    loading = [key for key, (name, attributes) in sheets.items()
               if name == "InlineStyleSheet" and "spinner.svg" in attributes["css"]]
    assert len(loading) == 1 and uses[loading[0]] > 100
    css = sheets[loading[0]][1]["css"]
    addresses = re.findall(r"url\('(\./[^']+)'\)", css)
    assert len(addresses) >= 6    # the spinners
    for address in addresses:     # each URL it names is on the site
        assert (site_dir / address).resolve().is_file(), address


def prerendered_document(page: str) -> str:
    return re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', page, re.S).group(1)


def test_a_rebuild_from_a_damaged_cache_heals_it_and_gives_the_same_files(site_dir, tmp_path):
    cache = tmp_path / "cache"
    shutil.copytree(build.CACHE, cache, copy_function=link_or_copy, ignore=shutil.ignore_patterns("build.lock"))
    damaged = [cache / next(w.file_name for w in pins.PYPI_WHEELS if w.name == "mdurl"),
               cache / "pyodide" / "packaging-24.2-py3-none-any.whl"]
    for path in damaged:
        original = path.read_bytes()
        path.unlink()  # a new file: the shared cache behind the hard link stays intact
        path.write_bytes(original[:-10] + b"corrupted!")

    record = build.build(tmp_path / "site", cache=cache, cdn_url="")

    expected = json.loads((site_dir / build.RECORD).read_text())["files"]
    assert sorted(record["files"]) == sorted(expected)  # same file list
    downloaded_parts = [name for name in expected if DOWNLOADED.match(name)]
    assert len(downloaded_parts) > 50
    assert {n: record["files"][n] for n in downloaded_parts} == {n: expected[n] for n in downloaded_parts}
    for path in damaged:
        assert path.read_bytes() != b"" and b"corrupted!" not in path.read_bytes()[-10:]


def test_the_page_prerenders_the_workers_saved_render_where_its_template_marks_it(site_dir):
    """templates/page.js and page.html mark where Bokeh's prerendered document is; the build puts the worker's first render there
    (sitebuild/snapshot.py), so the page draws what the worker will send and keeps it. No other document is
    left in the page, and the render's roots are mapped to the page's elements in the page itself."""
    from html import unescape

    from sitebuild.convert import PRERENDER_END, PRERENDER_START

    render = snapshot.manifest(site_dir)["render"]   # the worker sends the page these, and its document's id
    page = (site_dir / "index.html").read_text()
    assert page.count(PRERENDER_START) == 1 and page.count(PRERENDER_END) == 1
    inside = page.split(PRERENDER_START)[1].split(PRERENDER_END)[0]
    assert inside.count("</script>") == 3   # the page script's end, the document, the script that draws it
    documents = re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', page, re.S)
    assert len(documents) == 1
    json_id, docs_json = documents[0]
    assert json_id == render["docs_in_page"] and json_id in inside
    assert json.loads(unescape(docs_json))[json.loads(render["render_items"])[0]["docid"]]["roots"]
    assert f"const root_ids = {render['root_ids']}" in inside
    root_elements = re.findall(r'<div id="[^"]+" data-root-id="[^"]+"', page)
    assert len(root_elements) == len(json.loads(render["root_ids"]))
