"""The Share/Embed/JSON component in Python, with a tiny fake app (the browser tests use the real one)."""
import contextlib
import copy
import html
import json
import re

import param

from playground import document as D
from playground.document import DocumentFields
from playground.share import ShareTools, iframe_snippet

from .test_encodings import sample


class FakeDocument(DocumentFields):
    """Holds one document as 'the views' (and its title in the param, as the live document does);
    restore refuses programs that start with 'import'."""

    embed = param.Dict(default=D.no_options())

    def __init__(self):
        super().__init__()
        self.state = sample()
        self.title = self.state["title"]
        self.restored = []
        self.replacements = []

    def snapshot(self, include_weights):
        doc = copy.deepcopy(dict(self.state, title=self.title))
        if not include_weights:
            doc["training"]["weights"] = None
        return D.check_document(doc)

    def restore(self, doc):
        if doc["graph"]["program"].startswith("import"):
            raise ValueError("line 1, column 1: import is not allowed")
        self.state = copy.deepcopy(doc)
        self.title = doc["title"]
        self.restored.append(doc)

    def defaults(self):
        doc = sample()
        doc["title"] = "defaults"
        return doc

    @contextlib.contextmanager
    def replacing(self, message):   # the live document keeps the old one (tests/document/test_saved_work.py)
        self.replacements.append(message)
        yield


def tools():
    app = FakeDocument()
    return app, ShareTools(app)


def test_link_opens_the_same_state_elsewhere():
    app, share = tools()
    app.state["graph"]["values"]["a"] = 4.5
    url = share.show_link()
    assert share.link.visible and share.link.value == url
    other, other_share = tools()
    other_share.open_fragment(url[url.index("#"):])
    assert other.snapshot(True) == app.snapshot(True) and not other_share.message.visible


def test_weights_go_in_only_when_asked():
    app, share = tools()
    app.state["training"]["weights"] = [0.5, -0.25]
    assert D.read_fragment(share.show_link())[0]["training"]["weights"] == [0.5, -0.25]
    share.include_weights.value = False
    assert D.read_fragment(share.show_link())[0]["training"]["weights"] is None


def test_link_field_cannot_be_edited():
    _, share = tools()
    url = share.show_link()
    share.link.value = "https://evil.example/"
    assert share.link.value == url


def test_hostile_link_says_why_and_opens_defaults():
    app, share = tools()
    share.open_fragment("#d=1.@@@")
    assert app.title == "defaults"
    assert share.message.visible and "could not be opened" in share.message.object


def test_program_refused_by_the_view_opens_defaults():
    app, share = tools()
    bad = sample()
    bad["graph"]["program"] = "import os"
    share.open_fragment(D.make_fragment(bad))
    assert app.title == "defaults" and "import is not allowed" in share.message.object


def test_embed_options_reach_the_page_flags():
    app, share = tools()
    share.open_fragment("#view=training&hide=header,curves&chrome=minimal")
    assert app.embed == {"view": "training", "hide": {"header", "curves"}, "minimal": True}
    assert share.page_flags.value == "hide-curves hide-header minimal"


def test_title_travels_and_is_shown_as_text():
    app, share = tools()
    share.title.value = "<img src=x onerror=alert(1)>"
    url = share.show_link()
    _, other_share = tools()
    other_share.open_fragment(url[url.index("#"):])
    assert other_share.title.value == "<img src=x onerror=alert(1)>"
    # Str sends '<pre>' + object + '</pre>' HTML-escaped once for transport; the page unescapes it
    # and renders it as HTML, so what it renders must still be escaped.
    sent = other_share.title_display._transform_object(other_share.title_display.object)["object"]
    rendered = html.unescape(sent)
    assert "<img" not in rendered and "&lt;img src=x onerror=alert(1)&gt;" in rendered


def test_value_outside_the_schema_cannot_be_shared_and_says_why():
    app, share = tools()
    app.state["training"]["weights"] = [1e9]
    share.include_weights.value = True
    assert share.show_link() is None and "cannot be shared" in share.message.object
    assert share._json_file() is None and "cannot be saved" in share.message.object   # a message, no traceback


def test_snippet_is_escaped_and_opens_the_chosen_options():
    app, share = tools()
    share.title.value = '"><script>alert(1)</script>'
    share.embed_view.value = "training"
    share.embed_hide.value = ["controls", "editor"]
    text = share.show_snippet()
    assert "<script>" not in text and "&lt;script&gt;" in text
    src = html.unescape(re.search(r'src="([^"]*)"', text).group(1))
    doc, options, error = D.read_fragment(src[src.index("#"):])
    assert error is None and doc == app.snapshot(True)
    assert options == {"view": "training", "hide": {"controls", "editor"}, "minimal": True, "device": False}


def test_iframe_snippet_shape():
    text = iframe_snippet("http://x/#d=1.a&view=graph", "", 480, 360)
    assert text.startswith('<iframe src="http://x/#d=1.a&amp;view=graph" width="480" height="360"')
    assert "<script" not in text
    # With the resizer: the site's embed.js, beside the page the frame opens (docs/embedding.md).
    followed = iframe_snippet("http://x/course/index.html#d=1.a", "", 480, 360, follow_height=True)
    frame, resizer = followed.split("\n")
    assert frame.startswith('<iframe src="http://x/course/index.html#d=1.a"') and frame.endswith("</iframe>")
    assert resizer == '<script src="http://x/course/embed.js" async></script>'


def test_json_download_and_upload_round_trip():
    app, share = tools()
    app.state["graph"]["step"] = 7
    data = share._json_file().getvalue()
    assert json.loads(data)["graph"]["step"] == 7
    other, other_share = tools()
    other_share.upload.value = data
    assert other.snapshot(True) == app.snapshot(True)


def test_bad_upload_keeps_the_current_state():
    app, share = tools()
    before = app.snapshot(True)
    share.upload.value = b'{"version": 1, "view": "graph"'
    assert app.snapshot(True) == before and "not valid JSON" in share.message.object


def test_shown_link_and_snippet_follow_later_changes():
    _, share = tools()
    share.show_link()
    share.show_snippet()
    share.title.value = "changed"
    share.embed_width.value = 480
    assert D.read_fragment(share.link.value[share.link.value.index("#"):])[0]["title"] == "changed"
    assert 'width="480"' in share.snippet.value and "changed" in share.snippet.value
