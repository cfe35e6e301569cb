"""Measurements of the page's layout, run in the page by the browser tests (tests/browser/test_first_contact.py).

Every query walks the whole document, open shadow roots included (Panel and Bokeh draw inside them).
"""

# Calls visit(element) for every element of the page, inside shadow roots too.
_WALK = """
const walk = (root, visit) => {
  for (const el of root.querySelectorAll('*')) {
    visit(el);
    if (el.shadowRoot) walk(el.shadowRoot, visit);
  }
};
const shown = (el) => {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return false;
  const style = getComputedStyle(el);
  return style.visibility !== 'hidden' && style.display !== 'none' && el.checkVisibility({opacityProperty: true});
};
const describe = (el) => (el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ?
  '.' + el.className.trim().split(/\\s+/).slice(0, 3).join('.') : ''));
"""

# Elements sticking out of the window's right edge (that is what makes a page scroll sideways; the contents of
# a box that scrolls within the window do not), and the scroll widths of the page and of the template's
# scrolling main area.
OVERFLOW = "() => {" + _WALK + """
  const width = document.documentElement.clientWidth, out = [];
  // What a box that scrolls (or clips) within the window holds does not make the page scroll: skip it.
  const clips = (el) => getComputedStyle(el).overflowX !== 'visible' && el.getBoundingClientRect().right <= width + 1;
  const visit = (root) => {
    for (const el of root.children) {
      if (shown(el)) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 1) out.push(describe(el) + ' right=' + Math.round(r.right));
      }
      if (el.tagName !== 'HTML' && el.tagName !== 'BODY' && clips(el)) continue;
      if (el.shadowRoot) visit(el.shadowRoot);
      visit(el);
    }
  };
  visit(document);
  const main = document.getElementById('main');
  return {page: [document.documentElement.scrollWidth, width],
          main: main ? [main.scrollWidth, main.clientWidth] : null, sticking_out: out};
}"""

# Shown text smaller than 11 px: each element with a text node of its own.
SMALL_TEXT = "() => {" + _WALK + """
  const out = [];
  walk(document, (el) => {
    const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join('');
    if (!text || !shown(el)) return;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 11) out.push(describe(el) + ' ' + size + 'px "' + text.slice(0, 30) + '"');
  });
  return out;
}"""

# The bounding box of the first shown element matching a CSS selector, looked for inside shadow roots too.
BOX = "(selector) => {" + _WALK + """
  let found = null;
  const test = (el) => { if (!found && el.matches(selector) && shown(el)) found = el; };
  walk(document, test);
  if (!found) return null;
  const r = found.getBoundingClientRect();
  return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
}"""
