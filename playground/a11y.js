// The page's accessibility layer (playground/a11y.py runs it once the page is shown).
//
// Bokeh and Panel draw every widget inside a shadow root and offer no way to set ARIA attributes on
// what they draw there (spin buttons, slider handles, tab headers, checkboxes). This script adds what is
// missing, and only that: it never changes what a control does. It watches every shadow root, so a widget
// Bokeh draws again later gets the same treatment.
//   - the focus ring and contrast fixes (a11y.css) adopted into every shadow root;
//   - names: spin buttons, slider handles (with aria-valuetext), checkboxes, the file input, the layer
//     +/- buttons, the toolbar's tools; the drawings as role="img" with a text summary;
//   - the view tabs as real tabs (tablist/tab/tabpanel, aria-selected, arrows, Home/End, Enter, Space);
//   - landmarks (<main>, the sidebar), an h1, a skip link, a keyboard help popover and the lesson's
//     keyboard shortcuts (only while the focus is in the page's main part, and they can be turned off);
//   - focus kept on Play/Pause when Bokeh redraws or disables the focused button;
//   - a polite live region saying each backward step and each training milestone in words.
// Arguments from a11y.py: css (a11y.css), shortcuts ([[key, class of the button, what it does], ...]).

if (window.__playgroundA11y) return;
window.__playgroundA11y = true;

const sheet = new CSSStyleSheet();
sheet.replaceSync(css);
const seen = new WeakSet();      // shadow roots already watched

// --- finding things through shadow roots ---------------------------------------------------------------

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

// --- the live region -----------------------------------------------------------------------------------

const live = document.createElement("div");
live.id = "a11y-live";
live.className = "a11y-hidden";
live.setAttribute("role", "status");
live.setAttribute("aria-live", "polite");
document.body.appendChild(live);
function say(text) {
  if (text && live.textContent !== text) live.textContent = text;
}

// --- names ---------------------------------------------------------------------------------------------

const BUTTON_NAMES = [   // [class of the host, name]; a name keeps the visible label in it (WCAG 2.5.3)
  [/^train-add-neuron-(\d+)$/, (n) => `+ add a neuron to layer ${n}`],
  [/^train-remove-neuron-(\d+)$/, (n) => `− remove a neuron from layer ${n}`],
  [/^train-add-layer$/, () => "+ layer: add a hidden layer"],
  [/^train-remove-layer$/, () => "− layer: remove the last hidden layer"],
];
const FILE_NAMES = {"share-upload": "Open a saved playground file (.json)",
                    "train-csv-file": "Import points from a CSV file (x1,x2,label)"};
const DRAWINGS = {   // class of a Bokeh figure -> what it shows (its text summary)
  "graph-plot": () => `Drawing of the computation graph. ${shownText(find(".graph-summary"))} ` +
    "The node table lists every node with its inputs, data and grad; edit the graph with the Program " +
    "editor (the drawing's pan, zoom and tap need a mouse).",
  "train-boundary": () => "Decision boundary: the data points (orange and blue) on the model's predicted " +
    "colour for every point of the plane. The status above gives the step and the accuracy.",
  "train-network": () => "The network: one square per neuron showing what it computes, lines for the weights " +
    "(blue positive, orange negative, width their size).",
  "train-loss-curve": () => "Loss curve: training and test loss at each step.",
  "train-accuracy-curve": () => "Accuracy curve: training and test accuracy at each step.",
};

function fieldName(el) {   // the visible label of the widget `el` belongs to
  const root = el.getRootNode();
  const label = root.querySelector && root.querySelector("label");
  return textOf(label).replace(/:$/, "") || "value";
}

function nameControl(el) {
  if (el.matches("button.bk-spin-btn")) {
    setAttr(el, "aria-label", `${el.matches(".bk-spin-btn-up") ? "Increase" : "Decrease"} ${fieldName(el)}`);
    setAttr(el, "tabindex", "-1");   // the arrow keys in the field do the same: one stop per field
  } else if (el.matches("[role=slider]")) {
    const root = el.getRootNode();
    const title = root.querySelector(".bk-slider-title");
    const name = title ? textOf(title.firstChild).replace(/:$/, "") : "value";
    setAttr(el, "aria-label", name);
    const shown = textOf(root.querySelector(".bk-slider-value"));
    if (hostOf(el) && hostOf(el).matches(".graph-step-slider")) {
      setAttr(el, "aria-valuetext", `step ${shown} of ${Math.round(Number(el.getAttribute("aria-valuemax")))}`);
    } else if (shown) {
      setAttr(el, "aria-valuetext", shown);
    }
  } else if (el.matches("input[type=checkbox]") && !el.closest("label") && !el.hasAttribute("aria-label")) {
    const label = el.nextElementSibling;
    if (label && textOf(label)) setAttr(el, "aria-label", textOf(label));
  } else if (el.matches("input[type=file]")) {
    const host = hostOf(el);
    const known = host && Object.keys(FILE_NAMES).find((c) => host.classList.contains(c));
    setAttr(el, "aria-label", known ? FILE_NAMES[known] : "Choose a file");
  } else if (el.matches(".bk-OnOffButton, .bk-ToolButton, .bk-tool-overflow")) {   // the plots' toolbars
    setAttr(el, "role", "button");
    setAttr(el, "aria-label", el.getAttribute("title") || "More tools");
    if (el.matches(".bk-OnOffButton")) setAttr(el, "aria-pressed", String(el.classList.contains("bk-active")));
  } else if (el.matches("button")) {
    const host = hostOf(el);
    for (const [pattern, name] of BUTTON_NAMES) {
      const match = host && [...host.classList].map((c) => c.match(pattern)).find(Boolean);
      if (match) setAttr(el, "aria-label", name(match[1]));
    }
  } else if (el.matches("canvas")) {   // a plot draws on two canvases: the first one stands for the drawing
    const figure = closestDeep(el, ".bk-Figure, .bk-Plot");
    const kind = figure && Object.keys(DRAWINGS).find((c) => figure.classList.contains(c));
    if (el === el.parentNode.querySelector("canvas")) {
      setAttr(el, "role", "img");
      setAttr(el, "aria-label", kind ? DRAWINGS[kind]() : "Plot");
    } else {
      setAttr(el, "aria-hidden", "true");
    }
  }
}

// The node table scrolls: it must take the focus so the keyboard can scroll it (and a screen reader can
// name the region).
function nameRegion(host) {
  if (host.matches(".graph-table")) {
    setAttr(host, "tabindex", "0");
    setAttr(host, "role", "region");
    setAttr(host, "aria-label", "Node table");
  }
}

// --- tabs ----------------------------------------------------------------------------------------------

let tabCount = 0;
function makeTabs(header) {   // header: Bokeh's .bk-header inside the Tabs' shadow root
  const root = header.getRootNode();
  const list = header.querySelector(".bk-headers-wrapper") || header;
  setAttr(list, "role", "tablist");
  setAttr(list, "aria-label", "Views");
  const tabs = [...list.querySelectorAll(".bk-tab")];
  const panels = [...root.children].filter((c) => c.tagName === "DIV" && !c.classList.contains("bk-header"));
  tabs.forEach((tab, i) => {
    if (!tab.id) tab.id = `a11y-tab-${++tabCount}`;
    const active = tab.classList.contains("bk-active");
    setAttr(tab, "role", "tab");
    setAttr(tab, "aria-selected", String(active));
    setAttr(tab, "tabindex", active ? "0" : "-1");   // one tab stop; the arrows move between tabs
    if (active) {
      for (const panel of panels) {
        setAttr(panel, "role", "tabpanel");
        setAttr(panel, "aria-labelledby", tab.id);
      }
    }
    if (!tab.__a11yKeys) {
      tab.__a11yKeys = true;
      tab.addEventListener("keydown", (event) => tabKey(event, list));
    }
  });
}
function tabKey(event, list) {
  const tabs = [...list.querySelectorAll(".bk-tab")];
  const i = tabs.indexOf(event.currentTarget);
  const to = {ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1}[event.key];
  if (to !== undefined) {
    const tab = tabs[(to + tabs.length) % tabs.length];
    tab.click();   // Bokeh switches views on a click: the arrows show the view they move to
    tab.focus();
  } else if (event.key === "Enter" || event.key === " ") {
    event.currentTarget.click();
  } else {
    return;
  }
  event.preventDefault();
}

// --- focus kept on a button that Bokeh redraws or disables ---------------------------------------------

// Focus events are listened to on every shadow root (watch() below): a move between two elements of the same
// shadow tree never reaches the document.
let focused = null;   // {el, host}: the focused button and the element hosting it
function focusIn() {
  const el = deepActive();
  focused = el && el.matches("button") ? {el, host: hostOf(el)} : null;
}
// A disabled button loses the focus before Bokeh draws it again: look again once it has.
function focusOut(event) {
  // Until 4 s: on a busy machine the worker may take seconds to enable the neighbour.
  if (event.relatedTarget === null) for (const ms of [0, 50, 250, 1000, 2000, 4000]) setTimeout(keepFocus, ms);
}
function keepFocus() {
  if (!focused || !focused.host || !focused.host.isConnected) return;
  const {el, host} = focused;
  if (el.isConnected && !el.disabled) return;          // still there and usable: nothing to do
  const active = deepActive();
  if (active && active !== document.body && active !== el) return;   // the focus went somewhere on purpose
  // Redrawn (the graph's Play/Pause is relabelled): the new button of the same host.
  let next = buttonOf(host);
  // Disabled (the training view's Play while it plays, Pause while paused): its enabled neighbour. A flex
  // box wraps each child in a div of its own: then the neighbours are the wrapper's.
  const item = host.previousElementSibling || host.nextElementSibling || !host.parentElement ? host : host.parentElement;
  for (let sibling = item.previousElementSibling; next && next.disabled && sibling;
       sibling = sibling.previousElementSibling) next = buttonIn(sibling) || next;
  for (let sibling = item.nextElementSibling; next && next.disabled && sibling;
       sibling = sibling.nextElementSibling) next = buttonIn(sibling) || next;
  if (next && !next.disabled) next.focus();
}

// --- what the page says --------------------------------------------------------------------------------

function explainChanged(host) {   // the graph view's explanation of step k: say it
  const p = host.shadowRoot.querySelector("p.chain-rule");   // innerText: each <br> becomes a space
  const text = p ? p.innerText.replace(/\s+/g, " ").trim() : "";
  if (text) say(text);
}

const training = {playing: false, step: 0, lastPower: 0};
function trainingStatus() {   // the numbers the status line shows
  const status = find(".train-status");
  const count = status && status.shadowRoot && status.shadowRoot.querySelector(".train-step-count");
  if (!count) return null;
  const text = textOf(count.parentElement);
  return {step: Number(textOf(count)), accuracy: textOf(count.parentElement.querySelector(".train-accuracy")),
          test: (text.match(/test loss [^,]+, accuracy (\S+ %|–)/) || [])[1] || "–"};
}
function trainingChanged() {   // milestones only: started, paused, reset, 100/1,000/10,000 steps
  const play = buttonOf(find(".train-play"));
  const status = trainingStatus();
  if (!play || !status) return;
  const playing = play.disabled;
  const numbers = `train accuracy ${status.accuracy}, test accuracy ${status.test}`;
  if (playing && !training.playing) say(`Training started at step ${status.step}.`);
  else if (!playing && training.playing) say(`Training paused at step ${status.step}: ${numbers}.`);
  else if (status.step === 0 && training.step > 0) say("Training reset: step 0.");
  const power = status.step >= 100 ? Math.floor(Math.log10(status.step)) : 0;
  if (playing && power > training.lastPower) say(`Step ${status.step.toLocaleString("en")}: ${numbers}.`);
  training.lastPower = status.step === 0 ? 0 : Math.max(training.lastPower, power);
  training.playing = playing;
  training.step = status.step;
}

// --- watching every shadow root ------------------------------------------------------------------------

const CONTROLS = "button, [role=slider], input[type=checkbox], input[type=file], .bk-OnOffButton, " +
  ".bk-ToolButton, .bk-tool-overflow, canvas";

function fix(el) {
  if (el.matches(CONTROLS)) nameControl(el);
  if (el.shadowRoot) watch(el.shadowRoot);
  if (el.matches(".bk-header")) makeTabs(el);
  if (el.matches(".graph-table")) nameRegion(el);
}
function fixTree(root) {
  if (root.nodeType === 1) fix(root);
  if (root.querySelectorAll) for (const el of root.querySelectorAll("*")) fix(el);
}
function watch(root) {
  if (seen.has(root)) return;
  seen.add(root);
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  root.addEventListener("focusin", focusIn);
  root.addEventListener("focusout", focusOut);
  observer.observe(root, {childList: true, subtree: true, characterData: true, attributes: true,
                          attributeFilter: ["class", "disabled", "aria-valuenow", "aria-valuetext"]});
  fixTree(root);
}

const observer = new MutationObserver((records) => {
  const hosts = new Set();
  for (const record of records) {
    if (record.type === "childList") {
      for (const node of record.addedNodes) if (node.nodeType === 1) fixTree(node);
    } else if (record.type === "attributes") {
      const el = record.target;
      fix(el);
      if (el.matches(".bk-tab") && el.closest(".bk-header")) makeTabs(el.closest(".bk-header"));
      if (el.matches(".noUi-handle")) nameControl(el);
    }
    const host = hostOf(record.target.nodeType === 1 ? record.target : record.target.parentNode);
    if (host) hosts.add(host);
  }
  let trainingTouched = false;
  for (const host of hosts) {
    fix(host);
    if (host.matches(".graph-explain")) explainChanged(host);
    if (host.matches(".train-status, .train-play, .train-pause")) trainingTouched = true;
    const slider = host.shadowRoot && host.shadowRoot.querySelector("[role=slider]");
    if (slider) nameControl(slider);
    const summary = host.matches(".graph-summary") && find(".graph-plot") && deepQueryAll("canvas", find(".graph-plot").shadowRoot)[0];
    if (summary) nameControl(summary);
  }
  if (trainingTouched) trainingChanged();
  keepFocus();
});

// --- the page: landmarks, h1, skip link, help, shortcuts -----------------------------------------------

document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

const main = document.getElementById("main");
if (main) {
  setAttr(main, "role", "main");
  setAttr(main, "tabindex", "-1");   // the skip link's target
}
const sidebar = document.getElementById("sidebar");
if (sidebar) {
  setAttr(sidebar, "role", "complementary");
  setAttr(sidebar, "aria-label", "Share, embed, save or open");
  for (const list of sidebar.querySelectorAll("ul")) setAttr(list, "role", "none");   // holds no list items
}
const title = document.querySelector(".app-header .title");
if (title && !title.closest("h1")) {
  const h1 = document.createElement("h1");
  h1.className = "a11y-title";
  title.replaceWith(h1);
  h1.appendChild(title);
}

const skip = document.createElement("a");
skip.className = "a11y-skip";
skip.href = "#main";
skip.textContent = "Skip to the playground";
// Not a jump through the address: the app reads the fragment as a share link.
skip.addEventListener("click", (event) => {
  event.preventDefault();
  const tab = deepQueryAll(".bk-tab.bk-active")[0];
  (tab || main || document.body).focus();
});
document.body.prepend(skip);

let shortcutsOn = true;
const help = document.createElement("div");
help.id = "a11y-help";
help.className = "a11y-help";
help.hidden = true;
help.setAttribute("role", "dialog");
help.setAttribute("aria-label", "Keyboard help");
help.innerHTML = "<h2>Keyboard</h2><p>Tab moves between controls; arrow keys switch the views' tabs and " +
  "move sliders.</p><p>In the graph view's lesson (while the focus is in the playground, not in a text " +
  "field):</p><dl></dl><p><label><input type='checkbox' checked> Single-key shortcuts on</label></p>" +
  "<p>Escape closes this help.</p>";
const dl = help.querySelector("dl");
for (const [key, , what] of shortcuts) {
  const dt = document.createElement("dt"), dd = document.createElement("dd"), kbd = document.createElement("kbd");
  kbd.textContent = key.toUpperCase();
  dt.appendChild(kbd);
  dd.textContent = what;
  dl.append(dt, dd);
}
help.querySelector("input").addEventListener("change", (event) => { shortcutsOn = event.target.checked; });
const helpButton = document.createElement("button");
helpButton.type = "button";
helpButton.className = "a11y-help-button";
helpButton.textContent = "Keyboard help";
helpButton.setAttribute("aria-expanded", "false");
helpButton.setAttribute("aria-controls", "a11y-help");
function showHelp(open) {
  help.hidden = !open;
  helpButton.setAttribute("aria-expanded", String(open));
  if (open) help.querySelector("input").focus();
}
helpButton.addEventListener("click", () => showHelp(help.hidden));
help.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  showHelp(false);
  (helpButton.checkVisibility() ? helpButton : helpSkip).focus();
});
(document.getElementById("header-items") || document.body).appendChild(helpButton);
document.body.appendChild(help);
// An embedding without the header (#chrome=minimal, hide=header) still offers the help: a second button beside
// the skip link, shown when focused (a11y.css shows it only when the header is hidden).
const helpSkip = document.createElement("button");
helpSkip.type = "button";
helpSkip.className = "a11y-skip a11y-help-skip";
helpSkip.textContent = "Keyboard help";
helpSkip.setAttribute("aria-controls", "a11y-help");
helpSkip.addEventListener("click", () => showHelp(help.hidden));
skip.after(helpSkip);

function typing(el) {   // keys typed into a field are text, never shortcuts
  return el && (el.matches("input, textarea, select, [contenteditable=true]") && !el.matches("[type=checkbox]"));
}
document.addEventListener("keydown", (event) => {
  if (!shortcutsOn || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  const el = deepActive();
  if (typing(el) || !el || !closestDeep(el, "#main")) return;
  const shortcut = shortcuts.find(([key]) => key === event.key.toLowerCase());
  const view = find(".graph-view");
  if (!shortcut || !view || !view.checkVisibility()) return;
  const button = buttonOf(find("." + shortcut[1]));
  if (button) {
    event.preventDefault();
    button.click();
  }
});

watch(document);
