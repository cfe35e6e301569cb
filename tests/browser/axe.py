"""axe-core in the page: the WCAG 2.1 A/AA rules run on the real built site.

axe_source() gets the pinned axe-core tarball from npm into .cache/ (hash-checked, like every download of
the build: sitebuild/pins.py) and returns its axe.min.js. It is a test tool only; the site never ships it.
violations(page) injects it into the page (once) and returns what it finds: axe walks open shadow roots,
so Bokeh's widgets are checked too.
"""
import functools
import tarfile

from sitebuild import pins
from sitebuild.fetch import cached, npm_pack

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary}))}));
}"""


@functools.cache
def axe_source() -> str:
    import build   # the build's own cache folder (.cache/downloads)

    tarball = cached(build.CACHE / pins.AXE_CORE_NPM_TARBALL, pins.AXE_CORE_NPM_SHA256,
                     lambda folder: npm_pack(pins.AXE_CORE_NPM_SPEC, folder))
    with tarfile.open(tarball) as archive:
        return archive.extractfile("package/axe.min.js").read().decode("utf-8")


def violations(page) -> list[dict]:
    """The WCAG 2.1 A/AA violations on the page as it is now: [{id, impact, help, nodes: [{target, summary}]}]."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(_RUN, WCAG_TAGS)


def describe(found: list[dict]) -> str:
    """One line per violated rule and element: what a failing assert prints."""
    return "\n".join(f"{v['id']} ({v['impact']}): {n['target']} {n['summary']}".replace("\n", " ")
                     for v in found for n in v["nodes"])
