"""Convert the Panel app for a Pyodide web worker with Panel's own converter and our whole templates.

Run as `python -m sitebuild.convert APP OUT_DIR PACKAGES_JSON` (build.py does):
Panel reads PANEL_CDN_ROOT when it is first imported, so the conversion runs in
its own process with that variable set. Panel's converter renders the page and the worker from
templates; the ones we run are whole files in templates/, each Panel's (or Bokeh's) own at the pinned
version with our changes marked `sitebuild:`, and the originals are recorded beside them
(templates/panel-1.10.0/, templates/bokeh-3.10.2/; tests/site/test_templates.py diffs them against
the installed packages' own, so an upgrade shows up as a readable diff):
- templates/worker.js (Panel's pyodide_worker.js): our start (Pyodide and every package from this
  site in one parallel call, or the start saved at build time: templates/saved_start.js, written
  beside it) and Panel's message protocol;
- templates/page.js (Panel's pyodide_handler.js): the page's script; it includes our event-bridge
  snippets send_in_order.js, handler_errors.js and early_worker_handover.js;
- templates/page_scripts.html (Panel's js_resources.html): BokehJS and Panel's JS, deferred;
- templates/prerender_items.js (Bokeh's doc_js.js.jinja): the prerendered document, kept;
- templates/page.html: the app's own page template, extended block by block (early worker first in
  <head>, viewport, service worker registration, where the prerendered document is); it includes
  templates/embed_start.html (how the worker starts in a frame: docs/embedding.md) before the early
  worker, and templates/embed_still.html (the page where the playground cannot run) in the body.
Every URL then points into the site: Panel's files under ./panel/, BokehJS under ./bokeh/.
"""
import json
import os
import re
import sys
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

TEMPLATES = Path(__file__).parent / "templates"
SAVED_START = "saved-start.js"   # templates/saved_start.js in the site, beside the worker (app.js)
# The worker's modules beside app.js (their name in the site: their template), saved-start.js first.
WORKER_MODULES = {SAVED_START: "saved_start.js", "snapshot-files.js": "snapshot_files.js",
                  "later-files.js": "later_files.js", "unzstd.js": "unzstd.js", "function-table.js": "function_table.js"}
# Panel only accepts an absolute CDN root; the build writes this placeholder and then
# makes it relative, so the site works under any path on any host.
PLACEHOLDER_ROOT = "https://site.invalid/"
PANEL_CDN_ROOT = PLACEHOLDER_ROOT + "panel/"
BOKEH_CDN = "https://cdn.bokeh.org/bokeh/release/"
# Scripts of Panel's page the app never uses, by how their file name starts: BokehJS's MathJax (TeX in text;
# without it such text shows as typed) and WebGL bundles, and es-module-shims (for ES module components, Panel's
# ReactiveESM: the app has none).
UNUSED_SCRIPTS = ["bokeh-mathjax-", "bokeh-gl-", "es-module-shims."]
# Where a page or script makes the browser fetch something: script/link/img/iframe/source tags,
# stylesheet URLs in the Bokeh document, module imports and CSS url(). Links a visitor may
# click (<a href>) are not requests, so an app may show them.
RESOURCE_URL = re.compile(
    r"""(?:<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)=["']|"url":\s*"|\bfrom\s+["']"""
    r"""|\bimport\(\s*["']|url\(\s*["']?)((?:https?:)?//[^"')\s]+)""")

# Our templates and the snippets they include ({% include "send_in_order.js" %}).
ours = Environment(loader=FileSystemLoader(TEMPLATES), keep_trailing_newline=True)
# Where the page's prerendered document is: after the page script, whose last line says so (templates/page.js),
# up to the mark templates/page.html puts after it. sitebuild/snapshot.py puts the worker's first render there.
PRERENDER_START = "// sitebuild: the prerendered document follows this script"
PRERENDER_END = "<!-- sitebuild: end of the prerendered document -->"


def is_unused_bundle(url) -> bool:
    """A script this app never uses (UNUSED_SCRIPTS)."""
    return str(url).rsplit("/", 1)[-1].startswith(tuple(UNUSED_SCRIPTS))


def loaded_only(declarations):
    """Panel's resource declarations (libraries the page's script tags load) without the libraries whose
    scripts are left out: Panel's resource registry would take those for loaded."""
    if not declarations:
        return declarations
    libs = [lib for lib in declarations.get("libs", []) if not any(is_unused_bundle(js) for js in lib.get("js", []))]
    return {**declarations, "libs": libs} if libs else {k: v for k, v in declarations.items() if k != "libs"}


def page_document_class(app_name: str):
    """A Bokeh Document whose page template is ours (templates/page.html) extending the app's own:
    Panel's converter renders the page with the template the app's Panel template sets on it."""
    from bokeh.document import Document

    embed_still = (TEMPLATES / "embed_still.html").read_text()
    early_worker = ((TEMPLATES / "embed_start.html").read_text()
                    + (TEMPLATES / "early_worker.html").read_text().replace("__NAME__", app_name))

    class PageDocument(Document):
        @Document.template.setter
        def template(self, app_page):
            page = app_page.environment.from_string((TEMPLATES / "page.html").read_text(), globals={
                "app_page": app_page, "early_worker": early_worker, "embed_still": embed_still,
                "PRERENDER_END": PRERENDER_END})
            Document.template.fset(self, page)

    return PageDocument


def use_our_templates(packages: list[str], app_name: str) -> None:
    """Make Panel's converter (and the Bokeh and Panel parts it renders with) use our templates."""
    from bokeh.embed import elements as bokeh_elements
    from panel.io import convert as panel_convert, resources as panel_resources

    panel_convert.WEB_WORKER_TEMPLATE = ours.get_template("worker.js", globals={"packages": json.dumps(packages)})
    panel_convert.WORKER_HANDLER_TEMPLATE = ours.get_template("page.js")
    panel_convert.Document = page_document_class(app_name)
    panel_resources.JS_RESOURCES = panel_resources.JS_RESOURCES.environment.from_string(
        (TEMPLATES / "page_scripts.html").read_text(), globals={"unused": is_unused_bundle, "loaded_only": loaded_only})
    bokeh_elements.DOC_JS = prerender_template()


def prerender_template():
    """Bokeh's template of the script that draws a document into the page (templates/prerender_items.js)."""
    from bokeh.core.templates import get_env as bokeh_env

    return bokeh_env().from_string((TEMPLATES / "prerender_items.js").read_text())


# Panel's page links its stylesheets with a `?v=<version>` suffix, its models import the same files without one:
# two URLs, so a first visit downloaded loading.css and two theme files twice. The folder is versioned already.
VERSION_QUERY = re.compile(r"""(href=["']\./panel/[^"'?#]+\.css)\?v=[\w.]+(["'])""")


def make_local(text: str) -> str:
    return text.replace(PLACEHOLDER_ROOT, "./").replace(BOKEH_CDN, "./bokeh/")


def foreign_urls(text: str) -> list[str]:
    """URLs a page or script would fetch from outside the site."""
    return RESOURCE_URL.findall(text)


def convert(app: Path, out_dir: Path, packages: list[str]) -> None:
    os.environ["PANEL_CDN_ROOT"] = PANEL_CDN_ROOT
    from panel.io import convert as panel_convert

    name = app.stem
    use_our_templates(packages, name)
    out_dir.mkdir(parents=True, exist_ok=True)
    # requirements=[]: the worker template loads PACKAGES itself; convert_app is called
    # in-process (convert_apps would spawn processes that lose the templates set above).
    result = panel_convert.convert_app(str(app), out_dir, requirements=[], runtime="pyodide-worker",
                                       prerender=True, verbose=False)
    if result is None:
        raise SystemExit(f"Panel could not convert {app}")
    for suffix in (".html", ".js"):
        path = out_dir / f"{name}{suffix}"
        text = VERSION_QUERY.sub(r"\1\2", make_local(path.read_text()))
        leaving = foreign_urls(text)
        if leaving:
            raise SystemExit(f"{path.name} still points outside the site: {sorted(set(leaving))}")
        path.write_text(text)
    if "window.earlyWorker = window.playgroundWorker(" not in (out_dir / f"{name}.html").read_text():
        raise SystemExit("the page was not rendered with templates/page.html: does the app still use a Panel template?")
    # The worker's other half, which app.js imports: its start saved at build time, and the modules
    # that one imports.
    for module, template in WORKER_MODULES.items():
        (out_dir / module).write_text((TEMPLATES / template).read_text())


if __name__ == "__main__":
    convert(Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3]))
