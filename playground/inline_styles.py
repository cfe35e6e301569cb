"""Panel's own stylesheets go into the first render as text, not as links.

Panel gives each of its ~120 components the same imported stylesheets (its `loading.css`, the design's
theme): a <link> in every component's shadow root, loaded and applied one by one while the page lays the
components out. The same CSS as InlineStyleSheets (one model per file, shared by every component) is
applied as each component is drawn: a warm start answered ~0.4 s sooner in the load benchmark
(0a17c2c, 2026-12-03; docs/benchmarks.md). Only the first render's models change; components made later keep Panel's
links (the files are on the site). Large files (Bootstrap's whole CSS, used by the template once) stay links.
"""
import re
from pathlib import Path
from urllib.parse import urljoin

import panel
from bokeh.models import ImportedStyleSheet, InlineStyleSheet

PANEL_DIST = Path(panel.__file__).parent / "dist"
LARGEST_BYTES = 50_000
# url(...) in CSS: its quote and its address
_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)""")


def inline_panel_stylesheets(document) -> int:
    """Swap the document's imported stylesheets of Panel's files for inline ones; returns how many files."""
    inlined = {}
    for model in list(document.models):
        sheets = getattr(model, "stylesheets", None)
        if not sheets:
            continue
        swapped = [_inline(sheet, inlined) for sheet in sheets]
        if any(new is not old for new, old in zip(swapped, sheets)):
            model.stylesheets = swapped
    return sum(sheet is not None for sheet in inlined.values())


def _inline(sheet, inlined):
    if not isinstance(sheet, ImportedStyleSheet):
        return sheet
    if sheet.url not in inlined:
        inlined[sheet.url] = _read(sheet.url)
    return inlined[sheet.url] or sheet


def _read(url: str):
    """An InlineStyleSheet of the Panel file `url` names, or None (not Panel's, missing, or large)."""
    path = url.split("?")[0]
    if "/dist/" not in path:
        return None
    file = PANEL_DIST / path.split("/dist/", 1)[1]
    if not file.is_file() or file.stat().st_size > LARGEST_BYTES:
        return None
    css = _URL.sub(lambda match: _from_page(match, path), file.read_text(encoding="utf-8"))
    return InlineStyleSheet(css=css)


def _from_page(match, sheet_url):
    """A url(...) of the file at sheet_url, as the page must name it: the page resolves an inline sheet's
    URLs against itself, not against the file's folder."""
    quote, address = match.groups()
    if re.match(r"[a-z]+:|/|#", address):   # data:, absolute, the page's own
        return match.group(0)
    joined = urljoin(sheet_url, address)
    if sheet_url.startswith("./") and not joined.startswith("./"):
        joined = "./" + joined
    return f"url({quote}{joined}{quote})"
