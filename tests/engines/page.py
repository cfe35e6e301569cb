"""What a test does to the playground in any engine, written once on top of one primitive: run a script in
the page and get its JSON answer back. Each engine's adapter (firefox.py, webkit.py) supplies that primitive,
navigation and its own records; everything else here is shared.

Elements are found by CSS selectors that reach into Bokeh's shadow roots as Playwright's do: in
".leaf-a input" the input may sit inside the shadow root of a host inside `.leaf-a`. Values are set and buttons
clicked by script (WebKit's WebDriver cannot type into or click elements inside shadow roots), with the events
a student's typing sends: input, Enter, change.
"""
import json
import time

# True once the worker rendered the app (the loader is hidden) or reported an error: the condition of
# tests/conftest.py's wait_until_interactive.
from tests.conftest import LOADED_OR_FAILED

# Defines find(selector, text): the elements matching a descendant selector across shadow roots, in document
# order, those containing `text` only when given; textOf(el): its text, its shadow root's included (as
# Playwright reads a shadow host's text); shown(el); one(selector, text): the first shown match, else the first.
HELPERS = r"""
const textOf = (node) => {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE || ['STYLE', 'SCRIPT'].includes(node.tagName)) return '';
  return [...(node.shadowRoot || node).childNodes].map(textOf).join('');
};
const find = (selector, text) => {
  const parts = selector.trim().split(/\s+/);
  const all = [];
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) { all.push(el); if (el.shadowRoot) visit(el.shadowRoot); }
  };
  visit(document);
  const up = (el) => el.parentNode instanceof ShadowRoot ? el.parentNode.host : el.parentElement;
  const matches = (el) => {
    if (!el.matches(parts[parts.length - 1])) return false;
    let k = parts.length - 2;
    for (let a = up(el); a && k >= 0; a = up(a)) if (a.matches(parts[k])) k--;
    return k < 0;
  };
  return all.filter((el) => matches(el) && (text == null || textOf(el).includes(text)));
};
const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
const one = (selector, text) => {
  const found = find(selector, text);
  const el = found.find(shown) || found[0];
  if (!el) throw new Error(`no element matches ${selector}` + (text == null ? '' : ` with text ${text}`));
  return el;
};
"""

SET_VALUE = """(selector, value, enter) => {
  const el = one(selector);
  el.focus();
  el.value = value;
  el.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
  if (enter) {
    for (const type of ['keydown', 'keypress', 'keyup']) {
      el.dispatchEvent(new KeyboardEvent(type, {key: 'Enter', code: 'Enter', keyCode: 13, which: 13,
                                               bubbles: true, composed: true}));
    }
  }
  el.dispatchEvent(new Event('change', {bubbles: true, composed: true}));
  return el.value;
}"""
CLICK = "(selector, text) => { one(selector, text).click(); return true; }"
TEXT = "(selector) => textOf(one(selector))"
VALUE = "(selector) => one(selector).value"
SHOWN = "(selector, text) => find(selector, text).some(shown)"
TEXT_CONTAINS = "(selector, part) => find(selector).some((el) => shown(el) && textOf(el).includes(part))"
TEXT_IS = "(selector, text) => find(selector).some((el) => shown(el) && textOf(el).trim() === text)"
TAKES_INPUT = "() => !document.documentElement.hasAttribute('data-opening') && !document.body.inert"
LOADER_ERROR = "() => (document.getElementById('loader-error') || {}).textContent || ''"


class ScriptError(AssertionError):
    pass


class EnginePage:
    """One browser of one engine, showing one page (or one of its frames: in_frame). Subclasses define
    name, _evaluate_json(expression), goto(url), reload(), close() and the records they can keep."""

    name = "?"
    pid = None                  # the process at the root of the browser's processes
    foreign_requests = None     # URLs requested outside the allowed origins, where the engine lets us see them
    worker_errors = ()          # console errors of the page's workers, where the engine lets us see them

    def evaluate(self, function: str, *args):
        """Call the JavaScript `function` with `args` in the page (helpers above in scope); its JSON result."""
        expression = (f"(async () => {{ {HELPERS} try {{ const r = await ({function})(...{json.dumps(list(args))});"
                      f" return JSON.stringify({{ok: r === undefined ? null : r}}); }}"
                      f" catch (e) {{ return JSON.stringify({{error: String(e && e.stack || e)}}); }} }})()")
        answer = json.loads(self._evaluate_json(expression))
        if "error" in answer:
            raise ScriptError(f"{self.name}: {answer['error']}")
        return answer["ok"]

    def wait_for(self, function: str, *args, timeout_s: float = 60, what: str = "", poll_s: float = 0.1):
        """Call `function` until it returns something true; return that (AssertionError after timeout_s)."""
        deadline = time.monotonic() + timeout_s
        last_error = None
        while True:
            try:
                result = self.evaluate(function, *args)
                if result:
                    return result
            except Exception as error:   # the element is not there yet, the page is between two documents
                last_error = error
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: waited {timeout_s} s for {what or function}"
                                     + (f" ({last_error})" if last_error else ""))
            time.sleep(poll_s)

    def open(self, url: str, timeout_s: float = 60, ready: str = "() => !!document.getElementById('loader')") -> None:
        """Navigate to `url` and wait until its document is the one in the window and `ready` (a JS function)
        is true there: by default, the playground's page has been parsed (it is not live yet)."""
        self._mark_document()
        self.goto(url)
        self._wait_new_document(timeout_s, ready)

    def reload_page(self, timeout_s: float = 60) -> None:
        """Reload, as a student does, and wait until the new document is in the window (not yet live)."""
        self._mark_document()
        self.reload()
        self._wait_new_document(timeout_s)

    def _mark_document(self) -> None:
        self.evaluate("() => { window.__leftBehind = true; }")

    def _wait_new_document(self, timeout_s: float, ready: str = "() => !!document.getElementById('loader')") -> None:
        self.wait_for(f"() => !window.__leftBehind && ({ready})()", timeout_s=timeout_s, what="the new page",
                      poll_s=0.05)

    def wait_until_live(self, timeout_s: float = 180) -> float:
        """Wait until Python has rendered the app (fail with the page's own message if it failed) and the page
        takes input. Returns the page's clock (performance.now(), ms) when it saw Python live."""
        self.wait_for(LOADED_OR_FAILED, timeout_s=timeout_s, what="the playground to go live")
        error = self.evaluate(LOADER_ERROR)
        if error:
            raise AssertionError(f"{self.name}: the playground failed to load: {error}")
        live_at = self.evaluate("() => performance.now()")
        # A page opening a document (a link, the device's copy) takes input once Python has put it in.
        self.wait_for(TAKES_INPUT, timeout_s=timeout_s, what="the document to open")
        return live_at

    def is_live(self) -> bool:
        return bool(self.evaluate(LOADED_OR_FAILED))

    def set_value(self, selector: str, value: str, enter: bool = False) -> None:
        self.evaluate(SET_VALUE, selector, value, enter)

    def click(self, selector: str, text: str | None = None) -> None:
        self.evaluate(CLICK, selector, text)

    def text(self, selector: str) -> str:
        return self.evaluate(TEXT, selector)

    def value(self, selector: str) -> str:
        return self.evaluate(VALUE, selector)

    def shown(self, selector: str, text: str | None = None) -> bool:
        return self.evaluate(SHOWN, selector, text)

    def wait_for_text(self, selector: str, part: str, timeout_s: float = 60, exact: bool = False) -> None:
        """Wait until a shown element matching `selector` contains `part` in its text (is `part`: exact)."""
        try:
            self.wait_for(TEXT_IS if exact else TEXT_CONTAINS, selector, part, timeout_s=timeout_s,
                          what=f"{selector} to show {part!r}")
        except AssertionError as error:
            shown = [self.evaluate("(s) => find(s).filter(shown).map(textOf)", selector)]
            raise AssertionError(f"{error}; it shows {shown}") from None

    def wait_for_value(self, selector: str, value: str, timeout_s: float = 60) -> None:
        self.wait_for(f"(s, v) => one(s).value === v", selector, value, timeout_s=timeout_s,
                      what=f"{selector} to hold {value!r}")

    def show_view(self, tab: str, view_class: str, timeout_s: float = 60) -> None:
        """Click the tab titled `tab` (a student's click) and wait until `view_class` is shown."""
        self.click(".bk-tab", tab)
        self.wait_for(SHOWN, f".{view_class}", None, timeout_s=timeout_s, what=f"the {tab} tab")

    # --- what the adapters define -----------------------------------------------------------------------
    def _evaluate_json(self, expression: str) -> str:
        raise NotImplementedError

    def goto(self, url: str) -> None:
        """Navigate and return at once (the page may still be loading)."""
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    def in_frame(self, index: int):
        """A context manager: scripts run in the page's `index`-th iframe inside it."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError
