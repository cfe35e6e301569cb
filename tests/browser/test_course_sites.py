"""A real course site: a page built by MkDocs (pinned in requirements/dev.txt) with two embeds of the Embed
button's snippet, served on another origin (localhost; the playground is on 127.0.0.1), as a teacher would
publish it (docs/embedding.md, "Course platforms")."""
import subprocess
import sys

from playwright.sync_api import expect

from playground.share import iframe_snippet
from sitebuild.serve import url_of
from tests.browser.test_embedding import TIMEOUT, badge, frame_of, serve, settled_height
from tests.conftest import watch, wait_until_interactive

SNIPPET_HEIGHT = 600   # the Embed button's default height

# MkDocs's own default theme. Its highlight.js comes from a CDN unless switched off: a course page that
# keeps the default makes that request itself (nothing of the embeds does).
MKDOCS_YML = """site_name: Backpropagation by hand
theme:
  name: mkdocs
  highlightjs: false
"""

LESSON = """# The chain rule, one node at a time

Set the leaves and watch the output change.

{first}

## Backward, step by step

Press **Step** to follow the gradient from the output to the leaves.

{second}

That is all micrograd's `backward()` does.
"""


def build_course_site(folder, site_url):
    """Build a one-page MkDocs site in `folder` with two embeds, each pasted as the Embed button writes it
    (the README's fragment: no saved document in it); returns the built site's folder."""
    snippet = iframe_snippet(site_url + "#chrome=minimal", "", 800, SNIPPET_HEIGHT, follow_height=True)
    (folder / "docs").mkdir()
    (folder / "docs" / "index.md").write_text(LESSON.format(first=snippet, second=snippet))
    (folder / "mkdocs.yml").write_text(MKDOCS_YML)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], cwd=folder, check=True)
    page = (folder / "site" / "index.html").read_text()
    assert page.count(snippet) == 2, "MkDocs did not keep the pasted snippets as they are"
    return folder / "site"


def test_a_mkdocs_course_page_with_two_embeds(browser, site_url, tmp_path):
    """One embed goes live by itself, the other waits and says so; a click on Step in the waiting one is
    answered; embed.js (pasted twice, once with each snippet) makes both frames as high as their content;
    nothing is fetched from anywhere but the course site and the playground's site."""
    server = serve(build_course_site(tmp_path, site_url))
    course_url = url_of(server).replace("127.0.0.1", "localhost")
    context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
    records = watch(context, course_url, site_url)
    try:
        page = context.new_page()
        page.goto(course_url)
        expect(page.locator("h1")).to_have_text("The chain rule, one node at a time")   # MkDocs's theme
        first = frame_of(page, site_url, 0)
        wait_until_interactive(first)
        assert first.evaluate("document.documentElement.dataset.python") == "live"

        page.locator("iframe").nth(1).scroll_into_view_if_needed()
        second = frame_of(page, site_url, 1)
        page.wait_for_timeout(2000)          # on screen and idle: time enough to start, were it to
        assert second.evaluate("document.documentElement.dataset.python") == "waiting"
        assert badge(second) == "Python starts when you click here"

        heights = [settled_height(page, frame, lambda height: height != SNIPPET_HEIGHT, index)
                   for index, frame in enumerate((first, second))]
        assert all(height > SNIPPET_HEIGHT for height in heights), heights

        second.locator(".graph-step button").click()
        wait_until_interactive(second)
        expect(second.locator(".graph-explain")).to_contain_text("Step 1 of 46", timeout=TIMEOUT)
        assert [frame.evaluate("document.documentElement.dataset.python") for frame in (first, second)] == \
            ["live", "live"]
        print(f"MkDocs course page: frame heights {heights} (snippet: {SNIPPET_HEIGHT} px)")
        assert records["foreign_requests"] == [], records["foreign_requests"]
        assert records["console_errors"] == [], records["console_errors"]
    finally:
        context.close()
        server.shutdown()
