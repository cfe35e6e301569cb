"""BokehJS and Panel's JS/CSS for the page, taken out of the very wheels the worker installs.

Taking them from the same wheels guarantees that the JS versions equal the
Python versions in the worker (Bokeh refuses to sync a document otherwise).
"""
import re
import zipfile
from pathlib import Path

BOKEH_JS_DIR = "bokeh/server/static/js/"
PANEL_DIST_DIR = "panel/dist/"
# Always shipped: Panel's page script, and the stylesheets the worker may ask for at run time.
PANEL_ALWAYS = ("panel.min.js", "css/", "bundled/theme/", "images/", "assets/")   # assets: loading.css's spinners


def copy_bokehjs(bokeh_wheel: Path, version: str, site: Path, page_html: str) -> list[str]:
    """Copy the BokehJS bundles the page references, e.g. ./bokeh/bokeh-widgets-3.10.2.min.js."""
    wanted = sorted(set(re.findall(r"\./bokeh/(bokeh(?:-[a-z]+)?)-" + re.escape(version) + r"\.min\.js", page_html)))
    with zipfile.ZipFile(bokeh_wheel) as wheel:
        for bundle in wanted:
            target = site / "bokeh" / f"{bundle}-{version}.min.js"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(wheel.read(f"{BOKEH_JS_DIR}{bundle}.min.js"))
    return wanted


def copy_panel_dist(panel_wheel: Path, version: str, site: Path, page_html: str) -> int:
    """Copy Panel's dist files the site needs into ./panel/<version>/dist/.

    That is PANEL_ALWAYS plus, for every file under bundled/ the page references,
    its whole bundle folder (stylesheets load fonts and images next to them).
    """
    prefix = f"./panel/{version}/dist/"
    referenced = re.findall(re.escape(prefix) + r"([^\"'?#\s)]+)", page_html)
    wanted = set(PANEL_ALWAYS)
    for path in referenced:
        parts = path.split("/")
        wanted.add("/".join(parts[:2]) + "/" if parts[0] == "bundled" else path)
    count = 0
    with zipfile.ZipFile(panel_wheel) as wheel:
        for name in wheel.namelist():
            relative = name[len(PANEL_DIST_DIR):]
            if not name.startswith(PANEL_DIST_DIR) or name.endswith("/") or name.endswith(".map"):
                continue
            if any(relative == w or (w.endswith("/") and relative.startswith(w)) for w in wanted):
                target = site / "panel" / version / "dist" / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(wheel.read(name))
                count += 1
    # The page links ./favicon.ico; without one the browser logs a 404.
    with zipfile.ZipFile(panel_wheel) as wheel:
        (site / "favicon.ico").write_bytes(wheel.read(f"{PANEL_DIST_DIR}images/favicon.ico"))
    missing = [p for p in referenced if not (site / "panel" / version / "dist" / p).exists()]
    if missing:
        raise SystemExit(f"the page references Panel files the panel wheel lacks: {missing}")
    return count
