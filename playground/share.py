"""Share, Embed, Download and Open: the playground's state leaving and entering the page.

The component knows nothing about the views: it works on the live document
(playground/live_document.py), which gives
  snapshot(include_weights) -> document     the current state, checked (see playground/document.py)
  restore(document)                         put a checked document into the page
  defaults() -> document                    the state a fresh page opens with
  replacing(message)                        a context: what replaces the student's work runs in it (the old
                                            document is kept one Undo away, playground/undo.py)
and holds the title and the embedding options. Everything a link or a file brings goes through
document.py first; messages are shown as plain text (escaped, then shown in a pn.pane.Str), never as HTML.
"""
import html
import io
from urllib.parse import urljoin

import panel as pn
import param
from bokeh.models import CustomJS

from . import document as D

APP_NAME = "micrograd playground"

# Runs in the page (not in Python): copy a widget's value to the clipboard. In an iframe on
# another site the browser may refuse; then the text is selected for Ctrl+C instead.
COPY_JS = """
const text = source.value;
const done = (note) => { button.label = note; setTimeout(() => { button.label = label; }, 2000); };
if (navigator.clipboard && window.isSecureContext) {
  navigator.clipboard.writeText(text).then(() => done('Copied ✓'), () => done('Press Ctrl+C to copy'));
} else {
  done('Press Ctrl+C to copy');
}
"""

# Runs in the page when Python changes `page_flags`: marks <html> so the CSS below can hide
# parts of the page that are not Panel components (the template's header).
FLAGS_JS = "document.documentElement.setAttribute('data-playground', cb_obj.value);"
# Runs in the page as soon as the prerendered page is shown, long before Python has started:
# reads the embedding options from the fragment (whitelisted words only) so an iframe shows its
# minimal chrome from the first frame. Python sets the same flags again once it reads the link.
EARLY_FLAGS_JS = """
const options = new URLSearchParams(window.location.hash.slice(1));
const flags = (options.get('hide') || '').split(',').filter((part) => HIDEABLE.includes(part)).map((p) => 'hide-' + p);
if (options.get('chrome') === 'minimal') flags.push('minimal');
document.documentElement.setAttribute('data-playground', flags.join(' '));
"""
PAGE_CSS = """
html[data-playground~="hide-header"] #header { display: none !important; }
html[data-playground~="minimal"] #header, html[data-playground~="minimal"] #sidebar { display: none !important; }
html[data-playground~="minimal"] .main-content, html[data-playground~="minimal"] #main { padding: 4px !important; }
"""


def as_text(text):
    """Text for a pn.pane.Str. Str wraps its object in <pre> and the page renders that as HTML:
    escaping here is what keeps `<img src=x onerror=...>` from a link a harmless string."""
    return html.escape(text)


def page_url():
    """This page's address without its fragment, as the browser reports it (empty if unknown)."""
    location = pn.state.location
    href = location.href if location is not None else ""
    return href.split("#")[0]


def iframe_snippet(url, title, width, height, follow_height=False):
    """Ready-to-paste HTML for a course page; every value is escaped for an attribute. follow_height adds the
    site's embed.js, which makes the frame as high as its content (docs/embedding.md)."""
    frame = (f'<iframe src="{html.escape(url)}" width="{int(width)}" height="{int(height)}" '
             f'title="{html.escape(title or APP_NAME)}" style="border:0" loading="lazy" '
             f'allow="clipboard-write"></iframe>')
    if not follow_height:
        return frame
    resizer = urljoin(url.split("#")[0], "embed.js")
    return frame + f'\n<script src="{html.escape(resizer)}" async></script>'


class ReadOnlyText(pn.widgets.TextAreaInput):
    """A text field the user can select and copy but not change: an edit is put back at once."""

    def __init__(self, **params):
        super().__init__(max_length=2 * D.MAX_LINK_CHARS, **params)   # links with weights are long
        self._text = self.value
        self.param.watch(self._put_back, "value")

    def show(self, text):
        self._text = text
        self.value = text

    def _put_back(self, event):
        if event.new != self._text:
            self.value = self._text


# Runs in the page as soon as the prerendered page is shown: an uploaded file is read whole by the page
# and sent to Python; one far larger than a document can be is refused here, before it is read.
UPLOAD_GUARD_JS = """
const visit = (root) => {
  for (const el of root.querySelectorAll('*')) {
    if (el.classList.contains('share-upload') && el.shadowRoot && !el.shadowRoot.guarded) {
      el.shadowRoot.guarded = true
      el.shadowRoot.addEventListener('change', (event) => {
        const file = event.target.files && event.target.files[0]
        let note = el.shadowRoot.querySelector('.upload-refused')
        if (!file || file.size <= LIMIT) {
          if (note) { note.textContent = '' }
          return
        }
        event.stopImmediatePropagation()
        event.target.value = ''
        if (!note) {
          note = document.createElement('div')
          note.className = 'upload-refused'
          note.setAttribute('role', 'alert')
          note.style.color = '#a33'
          el.shadowRoot.appendChild(note)
        }
        note.textContent = `This file could not be opened: it is ${(file.size / 1e6).toFixed(1)} MB, ` +
          `a playground document is at most ${LIMIT / 1024} KB.`
      }, true)
    }
    if (el.shadowRoot) { visit(el.shadowRoot) }
  }
}
visit(document)
"""


DEFAULTS = "The playground opened with its defaults."
DISCARDED = {"link": DEFAULTS, "work kept on this device": "It was discarded; the playground opened with its defaults."}


class ShareTools(pn.viewable.Viewer):

    def __init__(self, document, **params):
        super().__init__(**params)
        self.document = document

        self.message = pn.pane.Str("", visible=False, css_classes=["share-message"],
                                   styles={"color": "#a33", "white-space": "pre-wrap"})
        # The document's title: typed here, shown as plain text where the app puts `title_display`.
        self.title = pn.widgets.TextInput.from_param(document.param.title, label="Title (optional)",
                                                     max_length=D.MAX_TITLE_CHARS, css_classes=["share-title"])
        self.title_display = pn.pane.Str("", css_classes=["document-title"], visible=False,
                                         styles={"font-size": "1.2em", "font-weight": "bold"})
        document.param.watch(self._show_title, "title")
        # Without weights a link is short and replays the run from its seed: the same trajectory,
        # unless settings changed while it trained. Past REPLAY_LIMIT steps weights always go in.
        self.include_weights = pn.widgets.Checkbox(
            label="Include the trained weights", value=True, css_classes=["share-weights"])

        self.share_button = pn.widgets.Button(label="Share", color="primary", css_classes=["share-button"])
        self.link = ReadOnlyText(label="Link to this state", rows=2, css_classes=["share-link"], visible=False)
        self.copy_link = pn.widgets.Button(label="Copy link", css_classes=["share-copy"], visible=False)
        self.copy_link.js_on_click(args={"source": self.link, "button": self.copy_link, "label": "Copy link"},
                                   code=COPY_JS)
        self.share_button.on_click(lambda event: self.show_link())

        self.embed_view = pn.widgets.Select(label="Open on", options=list(D.VIEWS), css_classes=["embed-view"])
        self.embed_hide = pn.widgets.CheckBoxGroup(label="Hide", options=list(D.HIDEABLE), inline=True,
                                                   css_classes=["embed-hide"])
        self.embed_minimal = pn.widgets.Checkbox(label="Minimal chrome", value=True, css_classes=["embed-minimal"])
        self.embed_width = pn.widgets.IntInput(label="Width", value=800, start=320, end=4000, width=90,
                                              css_classes=["embed-width"])
        self.embed_height = pn.widgets.IntInput(label="Height", value=600, start=240, end=4000, width=90,
                                               css_classes=["embed-height"])
        self.embed_follow = pn.widgets.Checkbox(label="Height follows the content (adds embed.js)", value=True,
                                                css_classes=["embed-follow"])
        self.embed_button = pn.widgets.Button(label="Embed", css_classes=["embed-button"])
        self.snippet = ReadOnlyText(label="Paste this into your page", rows=4, css_classes=["embed-snippet"],
                                    visible=False)
        self.copy_snippet = pn.widgets.Button(label="Copy snippet", css_classes=["embed-copy"], visible=False)
        self.copy_snippet.js_on_click(args={"source": self.snippet, "button": self.copy_snippet,
                                            "label": "Copy snippet"}, code=COPY_JS)
        self.embed_button.on_click(lambda event: self.show_snippet())
        # In the Pyodide worker a click can arrive before a value typed just before it (Panel queues
        # value changes while the worker is busy, not clicks): shown texts follow later changes.
        for widget in (self.embed_view, self.embed_hide, self.embed_minimal, self.embed_width, self.embed_height,
                       self.embed_follow, self.title):
            widget.param.watch(lambda event: self.snippet.visible and self.show_snippet(), "value")
        for widget in (self.title, self.include_weights):
            widget.param.watch(lambda event: self.link.visible and self.show_link(), "value")

        self.download = pn.widgets.FileDownload(callback=self._json_file, filename="micrograd-playground.json",
                                                label="Download JSON", color="light",
                                                css_classes=["share-download"])
        self.upload = pn.widgets.FileInput(accept=".json,application/json", multiple=False,
                                           css_classes=["share-upload"])
        self.upload.param.watch(self._uploaded, "value")
        self.start_over = pn.widgets.Button(label="Start over", css_classes=["start-over"])
        self.start_over.on_click(lambda event: self.start_again())

        # Not shown: carries flags to the page's <html> element (see FLAGS_JS).
        self.page_flags = pn.widgets.TextInput(value="", visible=False, css_classes=["page-flags"])
        self.page_flags.jscallback(value=FLAGS_JS)

    # -- what the component shows -------------------------------------------------------------------

    def __panel__(self):
        return pn.Column(   # (self.message is placed by the app where a visitor sees it: not in a closed drawer)
            self.title,
            pn.Row(self.share_button, self.include_weights),
            self.link, self.copy_link,
            pn.layout.Divider(),
            self.embed_view, self.embed_hide, self.embed_minimal,
            pn.Row(self.embed_width, self.embed_height), self.embed_follow,
            self.embed_button, self.snippet, self.copy_snippet,
            pn.layout.Divider(),
            pn.pane.HTML("<b>Save or open a file</b>"),   # not Markdown: its parser costs the page's start a second
            self.download, self.upload,
            pn.layout.Divider(),
            self.start_over,
            self.page_flags,
            css_classes=["share-tools"], sizing_mode="stretch_width",
        )

    def say(self, text):
        self.message.object = as_text(text[:400])
        self.message.visible = bool(text)

    # -- leaving the page ---------------------------------------------------------------------------

    def _show_title(self, event):
        self.title_display.object = as_text(event.new)
        self.title_display.visible = bool(event.new)

    def current_document(self):
        return self.document.snapshot(self.include_weights.value)

    def show_link(self):
        try:
            fragment = D.make_fragment(self.current_document())
        except D.DocumentError as error:   # e.g. a value the schema does not allow
            self.say(f"This state cannot be shared: {error}.")
            return None
        if len(fragment) > D.MAX_LINK_CHARS:   # a page would refuse it: the file keeps everything
            self.link.visible = self.copy_link.visible = False
            self.say(f"This state is too large for a link ({len(fragment):,} characters; a link holds at most "
                     f"{D.MAX_LINK_CHARS:,}). Share it as a file: Download JSON below saves all of it.")
            return None
        url = page_url() + fragment
        self.link.show(url)
        self.link.visible = self.copy_link.visible = True
        return url

    def show_snippet(self):
        try:
            doc = self.current_document()
        except D.DocumentError as error:
            self.say(f"This state cannot be shared: {error}.")
            return None
        fragment = D.make_fragment(doc, view=self.embed_view.value, hide=self.embed_hide.value,
                                   minimal=self.embed_minimal.value)
        text = iframe_snippet(page_url() + fragment, doc["title"], self.embed_width.value, self.embed_height.value,
                              follow_height=self.embed_follow.value)
        self.snippet.show(text)
        self.snippet.visible = self.copy_snippet.visible = True
        return text

    def _json_file(self):
        try:
            return io.BytesIO(D.to_pretty_json(self.current_document()).encode("utf-8"))
        except D.DocumentError as error:   # cannot happen while the widgets refuse what the document does
            self.say(f"This state cannot be saved: {error}.")
            return None

    # -- entering the page --------------------------------------------------------------------------

    def open_fragment(self, fragment):
        """Open what a link carries; on any problem say so and open the defaults. A document kept
        on the device that cannot be opened is discarded: the defaults replace it there too."""
        doc, options, error = D.read_fragment(fragment)
        source = "work kept on this device" if options.pop("device") else "link"
        embed = dict(options)
        self.document.embed = embed
        self.page_flags.value = " ".join(sorted(
            [f"hide-{part}" for part in options["hide"]] + (["minimal"] if options["minimal"] else [])))
        if error:
            self.open_defaults(f"This {source} could not be opened: {error}. {DISCARDED[source]}")
        elif doc is not None:
            self.open_document(doc, source)

    def open_document(self, doc, source):
        try:
            self.document.restore(doc)
        except Exception as error:   # anything a hostile document provokes ends in the defaults
            self.open_defaults(f"This {source} could not be opened: {error}. {DISCARDED.get(source, DEFAULTS)}")
        else:
            self.say("")

    def open_defaults(self, text):
        self.document.restore(self.document.defaults())
        self.say(text)

    def start_again(self):
        with self.document.replacing("Start over replaced your work with the defaults."):
            self.open_defaults("Started over: the playground holds its defaults.")

    def _uploaded(self, event):
        if event.new is None:
            return
        try:
            doc = D.from_json(event.new)
        except D.DocumentError as error:   # nothing was changed yet: keep the current state
            self.say(f"This file could not be opened: {error}.")
            return
        with self.document.replacing("The opened file replaced your work."):
            self.open_document(doc, "file")


def watch_location(open_fragment):
    """Open the page's fragment now and each time it changes: open_fragment(fragment).

    pn.state.location follows the browser's address also in the Pyodide worker: Panel's page
    script sends window.location to the worker once the page is drawn, and Panel's Location
    model reports every later `hashchange`. So a link's state arrives just after the defaults
    were drawn, and pasting another link into the address bar opens it without a reload.
    """
    if pn.state.curdoc is not None:
        pn.state.curdoc.js_on_event("document_ready", CustomJS(args={"HIDEABLE": list(D.HIDEABLE)},
                                                               code=EARLY_FLAGS_JS))
        pn.state.curdoc.js_on_event("document_ready", CustomJS(args={"LIMIT": D.MAX_JSON_BYTES},
                                                               code=UPLOAD_GUARD_JS))
    location = pn.state.location
    if location is None:
        return
    location.param.watch(lambda event: open_fragment(event.new), "hash")
    if location.hash:
        open_fragment(location.hash)
