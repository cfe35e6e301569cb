// Finding things through Bokeh's and Panel's shadow roots, and reading what an element shows.
// (The layer's parts share one scope: playground/a11y/__init__.py joins them in order.)

function hostOf(node) {
  if (!node) return null;
  const root = node.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}
function parentOf(node) { return node.parentElement || hostOf(node); }
function closestDeep(node, selector) {   // like Element.closest, crossing shadow boundaries
  for (let n = node; n; n = parentOf(n)) if (n.nodeType === 1 && n.matches(selector)) return n;
  return null;
}
function deepQueryAll(selector, root = document, found = []) {
  for (const el of root.querySelectorAll("*")) {
    if (el.matches(selector)) found.push(el);
    if (el.shadowRoot) deepQueryAll(selector, el.shadowRoot, found);
  }
  return found;
}
function deepActive() {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  return el;
}
function buttonOf(host) {   // the <button> inside a Bokeh/Panel button's host element
  return host && host.shadowRoot ? deepQueryAll("button", host.shadowRoot)[0] || null : null;
}
function buttonIn(node) {   // the button of a button's host, or of a flex box's wrapper around one
  return buttonOf(node) || (node.children.length === 1 ? buttonOf(node.firstElementChild) : null);
}
const cache = {};   // selector -> the element last found (looked up again once it leaves the page)
function find(selector) {
  if (!cache[selector] || !cache[selector].isConnected) cache[selector] = deepQueryAll(selector)[0] || null;
  return cache[selector];
}
function shownText(host) {   // the text a Panel/Bokeh element shows (its shadow root less its <style>s)
  if (!host || !host.shadowRoot) return "";
  return [...host.shadowRoot.children].filter((el) => !el.matches("style, link")).map(textOf).join(" ").trim();
}
function setAttr(el, name, value) { if (el.getAttribute(name) !== value) el.setAttribute(name, value); }
function textOf(el) { return el ? el.textContent.replace(/\s+/g, " ").trim() : ""; }
