"""The address bar and the device follow the live document.

    page  --events-->  worker (Python)  --the live document changed-->  AddressKeeper
    AddressKeeper  --a new fragment, 300 ms after the last change-->  page: history.replaceState
                                                                       and localStorage (the device)

Every change of the document (playground/live_document.py bumps `revision`) is written, once the
changes pause for DEBOUNCE_S, as the page's fragment: the address is always a working share link,
and a reload opens the same state. The weights follow the Share button's rules (its "Include the
trained weights" box; a link never longer than a link may be, and a note says what was left out).
The same fragment is kept on the device; an address without a document opens it
(sitebuild/templates/early_worker.html). Storage blocked or full: a small notice, never an error.
Two tabs of the same page keep one copy on the device: the last change wins.
"""
import asyncio
import time

import panel as pn

from . import document as D
from .share import as_text

DEBOUNCE_S = 0.3     # the address follows 300 ms after the last change...
MAX_WAIT_S = 3.0     # ...or at least this often while changes keep coming (a run that trains)

# Runs in the page when Python writes a new fragment. replaceState: no history entry per keystroke.
ADDRESS_JS = """
const fragment = cb_obj.value
if (!fragment) { return }
history.replaceState(history.state, '', fragment)
let kept = 'saved'
try {
  localStorage.setItem(window.playgroundStorageKey, fragment)
} catch (error) {   // private mode, a sandboxed iframe, a full disk
  kept = 'not saved'
}
// Python only hears when the notice must show or go ("saved" at first is the usual case, and telling it
// would put a round trip before the student's first event). Not at once: a change made while the page
// applies Python's patch would not reach Python.
if ((kept === 'not saved') !== (device.value === 'not saved')) {
  setTimeout(() => { device.value = kept })
}
"""
# Runs in the page once Python has opened the link (or the kept document): the page takes input again.
OPENED_JS = """
document.documentElement.removeAttribute('data-opening')
document.body.inert = false
"""
NOT_SAVED = ("Not saved on this device: this browser does not let the page keep it here. "
             "Share or Download JSON keeps your work.")


class AddressKeeper(pn.viewable.Viewer):
    """Writes the live document into the address bar and onto the device. include_weights() says
    whether the Share button would include the trained weights."""

    def __init__(self, document, include_weights=lambda: True):
        super().__init__()
        self.document = document
        self.include_weights = include_weights
        self._pending = None          # the scheduled write
        self._first_change = None     # when the first change not yet written was made
        self.address = pn.widgets.TextInput(value="", visible=False, css_classes=["page-address"])
        self.device = pn.widgets.TextInput(value="", visible=False, css_classes=["page-device"])
        self.opened = pn.widgets.TextInput(value="", visible=False, css_classes=["page-opened"])
        self.address.jscallback(args={"device": self.device}, value=ADDRESS_JS)
        self.opened.jscallback(value=OPENED_JS)
        style = {"font-size": "0.85em", "color": "#555", "white-space": "pre-wrap"}
        self.note = pn.pane.Str("", visible=False, css_classes=["address-note"], styles=style)
        self.storage_note = pn.pane.Str("", visible=False, css_classes=["storage-note"], styles=style)
        self.device.param.watch(self._device_said, "value")
        document.param.watch(self.changed, "revision")
        # Live once a visitor's page has told Python its address (in the browser, after the page's first
        # render): changes before that (the build's warm-up of the saved start) are nobody's work.
        location = pn.state.location
        self.live = location is None or bool(location.href)
        if not self.live:
            location.param.watch(self._went_live, "href")

    def __panel__(self):
        return pn.Column(self.note, self.storage_note, self.address, self.device, self.opened,
                         sizing_mode="stretch_width")

    def _went_live(self, event):
        self.live = self.live or bool(event.new)

    def changed(self, *events):
        """Write once the changes pause (or MAX_WAIT_S after the first one not yet written)."""
        if not self.live:
            return
        now = time.monotonic()
        self._first_change = self._first_change or now
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:          # no event loop (a test, a script): write at once
            self.write()
            return
        wait = max(0.0, min(DEBOUNCE_S, self._first_change + MAX_WAIT_S - now))
        self._pending = loop.call_later(wait, self.write)

    def cancel(self):
        """Forget the changes not yet written."""
        if self._pending is not None:
            self._pending.cancel()
        self._pending = self._first_change = None

    def write(self):
        """The fragment of the document now, into the address bar and onto the device."""
        self._pending = self._first_change = None
        try:
            fragment, left_out = self.document.link(self.include_weights())
        except D.DocumentError as error:   # the widgets refuse what the document refuses: not expected
            self._say(f"The address does not follow this state: {error}.")
            return
        if len(fragment) > D.MAX_LINK_CHARS:
            self._say("This state is too large for a link: the address and the device keep the last one "
                      "that fit. Download JSON keeps all of it.")
            return
        self._say(left_out)
        self.address.value = fragment

    def mark_opened(self):
        """The link or the kept document is in: the page may take input (see templates/early_worker.html)."""
        self.opened.value = "opened"

    def _device_said(self, event):
        self.storage_note.object = as_text(NOT_SAVED if event.new == "not saved" else "")
        self.storage_note.visible = event.new == "not saved"

    def _say(self, text):
        self.note.object = as_text(text)
        self.note.visible = bool(text)
