"""The templates the build runs in place of Panel's and Bokeh's own (sitebuild/templates/): the
originals they were made from are recorded at the pinned versions, and the installed packages must
still ship exactly those. After an upgrade this fails with the diff of what the new version changed,
to be carried over into our templates before the originals are recorded again."""
import ast
import difflib
import re
from pathlib import Path

import bokeh
import panel
import pytest

from sitebuild import convert, pins

TEMPLATES = convert.TEMPLATES
PANEL = pins.pypi_version("panel")
BOKEH = pins.pypi_version("bokeh")
# recorded original -> the installed package's file it was copied from
ORIGINALS = {
    f"panel-{PANEL}/pyodide_worker.js": Path(panel.__file__).parent / "_templates" / "pyodide_worker.js",
    f"panel-{PANEL}/pyodide_handler.js": Path(panel.__file__).parent / "_templates" / "pyodide_handler.js",
    f"panel-{PANEL}/js_resources.html": Path(panel.__file__).parent / "_templates" / "js_resources.html",
    f"bokeh-{BOKEH}/doc_js.js.jinja": Path(bokeh.__file__).parent / "core" / "_templates" / "doc_js.js.jinja",
}
# our whole template -> the recorded original it changes
OURS = {
    "worker.js": f"panel-{PANEL}/pyodide_worker.js",
    "page.js": f"panel-{PANEL}/pyodide_handler.js",
    "page_scripts.html": f"panel-{PANEL}/js_resources.html",
    "prerender_items.js": f"bokeh-{BOKEH}/doc_js.js.jinja",
}


def diff(old: str, new: str, old_name: str, new_name: str) -> list[str]:
    return list(difflib.unified_diff(old.splitlines(), new.splitlines(), old_name, new_name, lineterm=""))


def test_the_installed_versions_are_the_pinned_ones():
    assert (panel.__version__, bokeh.__version__) == (PANEL, BOKEH)


@pytest.mark.parametrize("recorded", sorted(ORIGINALS))
def test_the_installed_templates_are_the_recorded_originals(recorded):
    changes = diff((TEMPLATES / recorded).read_text(), ORIGINALS[recorded].read_text(),
                   f"recorded {recorded}", f"installed {ORIGINALS[recorded]}")
    assert not changes, (f"the installed package changed a template sitebuild/templates/ is made from: carry "
                         f"this over into our template, then record the new original\n" + "\n".join(changes))


def hunks(lines: list[str]) -> list[list[str]]:
    """A unified diff's hunks, each as its lines."""
    found = []
    for line in lines[2:]:
        if line.startswith("@@"):
            found.append([])
        else:
            found[-1].append(line)
    return found


@pytest.mark.parametrize("ours", ["worker.js", "page.js"])
def test_each_of_our_changes_to_panels_script_is_marked(ours):
    """Every place where our worker or page script differs from Panel's says so (`sitebuild:`)."""
    changes = hunks(diff((TEMPLATES / OURS[ours]).read_text(), (TEMPLATES / ours).read_text(), OURS[ours], ours))
    assert changes
    for hunk in changes:
        added = [line for line in hunk if line.startswith("+")]
        assert any("sitebuild" in line for line in added), "\n".join(hunk)


def test_the_snippets_the_page_script_includes_exist():
    included = re.findall(r'{% include "([^"]+)" %}', (TEMPLATES / "page.js").read_text())
    assert sorted(included) == ["early_worker_handover.js", "handler_errors.js", "send_in_order.js"]
    assert all((TEMPLATES / name).is_file() for name in included)


def panel_function(name: str) -> str:
    """The source of a function of the installed Panel's panel/io/pyodide.py."""
    source = (Path(panel.__file__).parent / "io" / "pyodide.py").read_text()
    found = [node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef) and node.name == name]
    assert found, f"panel/io/pyodide.py has no {name}() any more: see PROTOCOL in sitebuild/templates/worker.js"
    return ast.get_source_segment(source, found[0]) + "\n"


def test_the_worker_links_the_document_as_the_recorded_panel_function_does():
    """PROTOCOL's link() in worker.js is Panel's _link_docs_worker with the changes held: a new Panel
    that links differently must show up here, as a diff to carry over."""
    recorded = f"panel-{PANEL}/_link_docs_worker.py"
    changes = diff((TEMPLATES / recorded).read_text(), panel_function("_link_docs_worker"),
                   f"recorded {recorded}", "installed panel/io/pyodide.py")
    assert not changes, "\n".join(changes)
    protocol = (TEMPLATES / "worker.js").read_text()
    for step in ("doc.on_change(", "doc.unhold()", 'doc.on_event("document_ready", functools.partial(state._schedule_on_load, doc))',
                 "doc.callbacks.trigger_event(DocumentReady())"):
        assert step in protocol
