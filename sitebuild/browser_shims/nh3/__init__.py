"""A pure-Python stand-in for nh3 (an HTML sanitizer written in Rust), for the browser worker only.

Panel cleans the strings of every ReactiveHTML component (templates use one) with
`nh3.clean`, but no nh3 build for Pyodide 0.27 is reachable from this project's
sources. This module keeps the same contract with an allow-list: the output holds
only allowed tags and attributes, URLs only with allowed schemes, every text and
attribute value escaped, and nothing of <script> or <style>. Its defaults are
nh3's own (tests/site/test_nh3_shim.py compares it with the real nh3 in CPython); unlike
nh3 it does not insert implied elements such as <tbody>.
"""
from html import escape
from html.parser import HTMLParser

ALLOWED_TAGS = frozenset(
    "a abbr acronym area article aside b bdi bdo blockquote br caption center cite code col colgroup "
    "data dd del details dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 header hgroup hr i "
    "img ins kbd li map mark nav ol p pre q rp rt rtc ruby s samp small span strike strong sub summary "
    "sup table tbody td th thead time tr tt u ul var wbr".split())
_TABLE_ALIGN = {"align", "char", "charoff"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "hreflang"}, "bdo": {"dir"}, "blockquote": {"cite"}, "q": {"cite"},
    "col": _TABLE_ALIGN | {"span"}, "colgroup": _TABLE_ALIGN | {"span"},
    "del": {"cite", "datetime"}, "ins": {"cite", "datetime"}, "hr": {"align", "size", "width"},
    "img": {"align", "alt", "height", "src", "width"}, "ol": {"start"},
    "table": _TABLE_ALIGN | {"summary"}, "tbody": _TABLE_ALIGN, "thead": _TABLE_ALIGN, "tfoot": _TABLE_ALIGN,
    "tr": _TABLE_ALIGN, "td": _TABLE_ALIGN | {"colspan", "headers", "rowspan"},
    "th": _TABLE_ALIGN | {"colspan", "headers", "rowspan", "scope"},
}
URL_ATTRIBUTES = {"href", "src", "cite"}
ALLOWED_URL_SCHEMES = frozenset(
    "bitcoin ftp ftps geo http https im irc ircs magnet mailto mms mx news nntp openpgp4fpr sip sms "
    "smsto ssh tel url webcal wtai xmpp".split())
# Elements dropped together with everything inside them.
DROPPED_WITH_CONTENT = frozenset({"script", "style"})
VOID_TAGS = frozenset({"area", "br", "col", "hr", "img", "wbr"})


def _url_allowed(url: str, schemes) -> bool:
    compact = "".join(ch for ch in url if ch > " ").lower()
    scheme, colon, _ = compact.partition(":")
    if not colon or any(ch in scheme for ch in "/?#"):
        return True  # a relative URL has no scheme
    return scheme in schemes


class _Cleaner(HTMLParser):
    def __init__(self, tags, attributes, url_schemes, link_rel):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.url_schemes, self.link_rel = tags, attributes, url_schemes, link_rel
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_WITH_CONTENT:
            self.dropping += 1
            return
        if self.dropping or tag not in self.tags:
            return
        allowed = self.attributes.get(tag, set()) | self.attributes.get("*", set())
        kept = [(name, value or "") for name, value in attrs if name in allowed
                and not (name in URL_ATTRIBUTES and not _url_allowed(value or "", self.url_schemes))]
        if tag == "a" and self.link_rel:
            kept = [(n, v) for n, v in kept if n != "rel"] + [("rel", self.link_rel)]
        self.out.append(f"<{tag}" + "".join(f' {n}="{escape(v)}"' for n, v in kept) + ">")
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.open and self.open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in DROPPED_WITH_CONTENT:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in self.open:
            return
        while self.open:  # close whatever was left open inside it
            inner = self.open.pop()
            self.out.append(f"</{inner}>")
            if inner == tag:
                break

    def handle_data(self, data):
        if not self.dropping:
            self.out.append(escape(data, quote=False))

    def result(self) -> str:
        self.close()
        return "".join(self.out) + "".join(f"</{tag}>" for tag in reversed(self.open))


def clean(html: str, tags=None, attributes=None, url_schemes=None, link_rel="noopener noreferrer", **_ignored) -> str:
    """Sanitize an HTML fragment (comments, unknown tags and attributes are dropped)."""
    cleaner = _Cleaner(ALLOWED_TAGS if tags is None else set(tags),
                       ALLOWED_ATTRIBUTES if attributes is None else attributes,
                       ALLOWED_URL_SCHEMES if url_schemes is None else set(url_schemes), link_rel)
    cleaner.feed(html)
    return cleaner.result()
