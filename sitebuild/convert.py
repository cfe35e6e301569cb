"""Convert the Panel app for a Pyodide web worker with Panel's own converter.

Run as `python -m sitebuild.convert APP OUT_DIR PACKAGES_JSON` (build.py does):
Panel reads PANEL_CDN_ROOT when it is first imported, so the conversion runs in
its own process with that variable set. What we change in Panel's output:
- the worker starts with our template (templates/worker.js): Pyodide and every
  package come from this site, loaded in one parallel call, or the start saved at
  build time is restored (templates/saved_start.js, written beside it); Panel's
  message protocol after that is taken unchanged from the installed Panel;
- the page starts the worker at the top of <head>, before its own big scripts
  (templates/early_worker*), sends events to Python in the order they happened
  (templates/send_in_order.js) and reports a worker that cannot start (templates/handler_errors.js);
- every URL points into the site: Panel's files under ./panel/, BokehJS under ./bokeh/.
"""
import json
import os
import re
import sys
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
SAVED_START = "saved-start.js"   # templates/saved_start.js in the site, beside the worker (app.js)
# Panel only accepts an absolute CDN root; the build writes this placeholder and then
# makes it relative, so the site works under any path on any host.
PLACEHOLDER_ROOT = "https://site.invalid/"
PANEL_CDN_ROOT = PLACEHOLDER_ROOT + "panel/"
BOKEH_CDN = "https://cdn.bokeh.org/bokeh/release/"
UNUSED_BOKEHJS = ["bokeh-mathjax", "bokeh-gl"]
# Where a page or script makes the browser fetch something: script/link/img/iframe/source tags,
# stylesheet URLs in the Bokeh document, module imports and CSS url(). Links a visitor may
# click (<a href>) are not requests, so an app may show them.
RESOURCE_URL = re.compile(
    r"""(?:<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)=["']|"url":\s*"|\bfrom\s+["']"""
    r"""|\bimport\(\s*["']|url\(\s*["']?)((?:https?:)?//[^"')\s]+)""")


def worker_template(packages: list[str], panel_protocol: str) -> str:
    """Our worker start-up, followed by Panel's message protocol from its own worker template."""
    ours = (TEMPLATES / "worker.js").read_text()
    ours = ours.replace("__PACKAGES__", json.dumps(packages))
    # Relative, like the page's own URLs: the page resolves what the worker's models name against
    # itself, and the worker's start-up snapshot (made at build time on another origin) stays true.
    ours = ours.replace("__PANEL_CDN_ROOT__", json.dumps("./panel/"))
    protocol = panel_protocol[panel_protocol.index("self.onmessage"):]
    # Panel's worker says "idle" only when a patch went through: a callback that raised left the page
    # waiting forever, holding every later event (send_in_order.js holds clicks too). Say it anyway,
    # after what Python changed meanwhile (sendHeldPatches in templates/worker.js).
    held = "    } finally {\n      locals.destroy()\n    }\n    self.postMessage({type: 'idle'})"
    if held not in protocol:
        raise SystemExit("Panel's worker protocol changed: update sitebuild/convert.py (the 'idle' message)")
    protocol = protocol.replace(held, "    } finally {\n      locals.destroy()\n      sendHeldPatches()\n"
                                      "      self.postMessage({type: 'idle'})\n    }")
    return ours + "\n" + protocol


def page_script(panel_handler: str) -> str:
    """Panel's page script with events sent to Python in the order they happened, and load errors reported."""
    start = panel_handler.index("function send_change(")
    end = panel_handler.index("\n}\n", start) + 3
    ours = (TEMPLATES / "send_in_order.js").read_text()
    script = panel_handler[:start] + ours + panel_handler[end:] + (TEMPLATES / "handler_errors.js").read_text()
    creation = 'const pyodideWorker = new Worker("./{{ name }}.js", {type: \'module\'});'
    if creation not in script:
        raise SystemExit("Panel's page script no longer creates its worker as expected: update sitebuild/convert.py")
    script = script.replace(creation, "const pyodideWorker = window.earlyWorker;")
    return keep_prerendered(script) + (TEMPLATES / "early_worker_handover.js").read_text()


def keep_prerendered(script: str) -> str:
    """Panel's page script, keeping the prerendered document when it is the one the worker sends.

    The build prerenders the worker's own first render when it has the start-up snapshot
    (sitebuild/snapshot.py): drawing it again would only cost the page half a second. The views
    drawn first are in `window.prerendered` (expose_prerender)."""
    remap = "    // Remap roots in message to element IDs\n"
    embed = "    const [views] = await Bokeh.embed.embed_items(docs_json, render_items)\n"
    if script.count(remap) != 1 or script.count(embed) != 1:
        raise SystemExit("Panel's page script no longer renders as expected: update sitebuild/convert.py")
    start, end = script.index(remap), script.index(embed) + len(embed)
    redraw = script[start:end].replace(embed, embed.replace("const [views] =", ";[views] ="))   # ; as the page has none
    kept = ("    // Added by sitebuild: a prerendered document with the worker's roots is the worker's.\n"
            "    const shown = await window.prerendered?.catch(() => null)\n"
            "    let views = shown && shown[0]\n"
            "    if (!views || ![...views.roots.values()].some((view) => view.model.id === root_ids[0])) {\n"
            + redraw + "    }\n")
    return script[:start] + kept + script[end:]


PRERENDER_CALL = "root.Bokeh.embed.embed_items(docs_json, render_items);"


def expose_prerender(page: str) -> str:
    """The page with its prerendered views kept in `window.prerendered` (keep_prerendered reads it)."""
    if page.count(PRERENDER_CALL) != 1:
        raise SystemExit("the page no longer draws its prerendered document as expected: update sitebuild/convert.py")
    return page.replace(PRERENDER_CALL, "window.prerendered = " + PRERENDER_CALL)


def drop_unused_bundles(page: str) -> str:
    """The page without the BokehJS bundles this app never uses (1.8 + 0.3 MB of JS to parse on
    every load): MathJax (TeX in text; without it such text shows as typed) and WebGL plots."""
    for bundle in UNUSED_BOKEHJS:
        page, count = re.subn(rf'\s*<script type="text/javascript" src="\./bokeh/{bundle}-[0-9.]+\.min\.js"></script>',
                              "", page)
        if count != 1:
            raise SystemExit(f"expected one <script> for {bundle} in the page, found {count}: update sitebuild/convert.py")
    return page


LOG_LEVEL = '<script type="text/javascript">\n  Bokeh.set_log_level("info");\n</script>'
HEAD_SCRIPT = re.compile(r'<script type="text/javascript" src="(\./(?:bokeh|panel)/[^"]+)"></script>')


def defer_page_scripts(page: str) -> str:
    """The page with its BokehJS and Panel scripts deferred: the browser draws the page (the loader)
    before it has run 4 MB of JS, not after. They still run in order, before the page's own scripts
    use them (those wait for DOMContentLoaded); the one line that used Bokeh at once waits too."""
    page, count = HEAD_SCRIPT.subn(r'<script type="text/javascript" src="\1" defer></script>', page)
    if count != 5 or page.count(LOG_LEVEL) != 1:
        raise SystemExit(f"expected 5 BokehJS/Panel scripts and one log-level line, found {count}: update sitebuild/convert.py")
    return page.replace(LOG_LEVEL, '<script type="text/javascript">\n  document.addEventListener("DOMContentLoaded",'
                                   ' () => Bokeh.set_log_level("info"));\n</script>')


def start_worker_early(page: str, name: str) -> str:
    """The page with its worker created at the top of <head> (templates/early_worker.html)."""
    early = (TEMPLATES / "early_worker.html").read_text().replace("__NAME__", name)
    return page.replace("<head>\n", "<head>\n" + early, 1)


def make_local(text: str) -> str:
    return text.replace(PLACEHOLDER_ROOT, "./").replace(BOKEH_CDN, "./bokeh/")


def foreign_urls(text: str) -> list[str]:
    """URLs a page or script would fetch from outside the site."""
    return RESOURCE_URL.findall(text)


def convert(app: Path, out_dir: Path, packages: list[str]) -> None:
    os.environ["PANEL_CDN_ROOT"] = PANEL_CDN_ROOT
    from panel.io import convert as panel_convert

    panel_worker = Path(panel_convert.WEB_WORKER_TEMPLATE.filename).read_text()
    panel_handler = Path(panel_convert.WORKER_HANDLER_TEMPLATE.filename).read_text()
    env = panel_convert.WEB_WORKER_TEMPLATE.environment
    panel_convert.WEB_WORKER_TEMPLATE = env.from_string(worker_template(packages, panel_worker))
    panel_convert.WORKER_HANDLER_TEMPLATE = env.from_string(page_script(panel_handler))

    out_dir.mkdir(parents=True, exist_ok=True)
    # requirements=[]: the worker template loads PACKAGES itself; convert_app is called
    # in-process (convert_apps would spawn processes that lose the patches above).
    result = panel_convert.convert_app(str(app), out_dir, requirements=[], runtime="pyodide-worker",
                                       prerender=True, verbose=False)
    if result is None:
        raise SystemExit(f"Panel could not convert {app}")
    name = app.stem
    for suffix in (".html", ".js"):
        path = out_dir / f"{name}{suffix}"
        text = make_local(path.read_text())
        if suffix == ".html":
            text = start_worker_early(expose_prerender(defer_page_scripts(drop_unused_bundles(text))), name)
        leaving = foreign_urls(text)
        if leaving:
            raise SystemExit(f"{path.name} still points outside the site: {sorted(set(leaving))}")
        path.write_text(text)
    # The worker's other half, which app.js imports: its start saved at build time.
    (out_dir / SAVED_START).write_text((TEMPLATES / "saved_start.js").read_text())


if __name__ == "__main__":
    convert(Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3]))
