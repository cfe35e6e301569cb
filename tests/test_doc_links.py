"""Every relative link in README.md, CHANGELOG.md and docs/*.md points to a file that exists (and, with a
#fragment into a Markdown file, to one of its headings, as GitHub makes their anchors)."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)


def anchors(page):
    """GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#+\s+(.*)$", CODE.sub(lambda m: m[0].replace("`", ""), page.read_text()), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def links(page):
    return LINK.findall(CODE.sub("", page.read_text()))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_point_to_what_exists(page):
    assert page.exists()
    for target in links(page):
        if re.match(r"[a-z]+:", target):
            continue   # http(s), mailto: not checked here
        path, _, fragment = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        assert file.exists(), f"{page.name}: {target} does not exist"
        if fragment and file.suffix == ".md":
            assert fragment in anchors(file), f"{page.name}: {target} names no heading of {file.name}"


def test_the_check_finds_links():
    assert "docs/teachers-guide.md" in links(ROOT / "README.md")
    assert "load-benchmark" in anchors(ROOT / "docs/site.md")


PROJECT_PATH = re.compile(r"`((?:engine|playground|sitebuild|tests|bench|docs|static|requirements)/[\w./-]*)")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_project_files_a_page_names_exist(page):
    """`playground/app.py`, `tests/site/`, `playground/page.without_busy_tracking` (a module's name) ... as a page
    names them in code spans."""
    for path in PROJECT_PATH.findall(page.read_text()):
        path = path.rstrip(".")
        module = path.rsplit(".", 1)[0] + ".py"
        assert (ROOT / path).exists() or (ROOT / module).exists(), f"{page.name} names {path}, which does not exist"
