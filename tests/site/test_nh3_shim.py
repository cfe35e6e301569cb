"""The browser's pure-Python nh3 stand-in sanitizes like the real nh3 (compared here in CPython)."""
import importlib.util
import re
from html.parser import HTMLParser
from pathlib import Path

import nh3 as real_nh3
from hypothesis import given, settings, strategies as st

SHIM_PATH = Path(__file__).resolve().parents[2] / "sitebuild" / "browser_shims" / "nh3" / "__init__.py"
spec = importlib.util.spec_from_file_location("nh3_shim", SHIM_PATH)
shim = importlib.util.module_from_spec(spec)
spec.loader.exec_module(shim)

SAMPLES = [
    "plain text & more",
    "<b>bold</b> <i>it</i> <script>alert(1)</script>after",
    '<a href="javascript:alert(1)" onclick="x()">link</a>',
    '<a href=" JaVa\tScRiPt:alert(1)">spaced scheme</a>',
    '<a href="https://example.org/?a=1&b=2">ok</a>',
    '<img src=x onerror="alert(1)">',
    "<div><p>unclosed <em>tags",
    "<style>body{display:none}</style>visible",
    "<!-- comment -->a < b > c",
    '<table><tbody><tr><td colspan="2" onmouseover="x">cell</td></tr></tbody></table>',
    '<iframe src="https://evil"></iframe>text',
    "<svg><script>alert(1)</script></svg>",
]


def test_the_shim_matches_nh3_on_typical_and_hostile_html():
    for html in SAMPLES:
        assert shim.clean(html) == real_nh3.clean(html), html


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["<", ">", "/", "script", "a", "img", " ", "=", '"', "'", "on", "click",
                                 "href", "javascript:", "x", "&", "<!--", "-->", "style", "b"]), max_size=40)
       .map("".join))
def test_the_output_never_holds_scripts_handlers_or_script_urls(html):
    out = shim.clean(html)
    parsed = _Collect()
    parsed.feed(out)
    assert set(parsed.tags) <= shim.ALLOWED_TAGS
    for name, value in parsed.attrs:
        assert not name.startswith("on")
        assert not re.sub(r"[\x00-\x20]", "", value or "").lower().startswith("javascript:")
