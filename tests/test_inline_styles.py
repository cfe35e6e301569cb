"""playground/inline_styles.py: Panel's small stylesheets become shared inline ones, others stay links."""
import re

import panel as pn
from bokeh.document import Document
from bokeh.models import ImportedStyleSheet, InlineStyleSheet

from playground.inline_styles import PANEL_DIST, inline_panel_stylesheets


def sheets_of(document):
    return [sheet for model in document.models for sheet in (getattr(model, "stylesheets", None) or [])]


def test_panels_stylesheets_become_one_shared_inline_sheet_per_file():
    document = Document()
    pn.Column(pn.widgets.Button(label="go"), pn.widgets.TextInput(), pn.pane.HTML("hi")).server_doc(document)
    imported = {sheet.url for sheet in sheets_of(document) if isinstance(sheet, ImportedStyleSheet)}
    assert any(url.split("?")[0].endswith("/dist/css/loading.css") for url in imported)

    assert inline_panel_stylesheets(document) == len(imported)
    inline = [sheet for sheet in sheets_of(document) if isinstance(sheet, InlineStyleSheet)]
    assert not any(isinstance(sheet, ImportedStyleSheet) for sheet in sheets_of(document))
    assert len({id(sheet) for sheet in inline}) == len(imported)     # shared: one model per file
    loading = next(sheet for sheet in inline if ".pn-loading" in sheet.css)
    assert "/dist/assets/arc_spinner.svg')" in loading.css     # relative URLs: from the page now
    assert "url('../assets" not in loading.css
    theme = next(sheet for sheet in inline if "data:image/svg+xml" in sheet.css)
    assert re.search(r"url\(['\"]data:image/svg", theme.css) and "/data:" not in theme.css   # as they were
    assert (PANEL_DIST / "css" / "loading.css").read_text(encoding="utf-8").count("url(") == loading.css.count("url(")


def test_other_and_large_stylesheets_stay_links():
    document = Document()
    elsewhere = "https://example.org/site.css"
    large = "./panel/1.10.0/dist/bundled/bootstrap5/css/bootstrap.min.css"
    missing = "./panel/1.10.0/dist/css/no-such-file.css"
    pn.pane.HTML("hi", stylesheets=[elsewhere, large, missing]).server_doc(document)
    inline_panel_stylesheets(document)
    urls = {sheet.url for sheet in sheets_of(document) if isinstance(sheet, ImportedStyleSheet)}
    assert {elsewhere, large, missing} <= urls
