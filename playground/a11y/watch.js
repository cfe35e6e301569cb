// Watching every shadow root: a11y.css adopted into each, its controls named, its focus events
// listened to, and a MutationObserver that treats what Bokeh draws later the same way. Runs last:
// it uses every other part and starts the layer on the page.

const sheet = new CSSStyleSheet();
sheet.replaceSync(css);
const seen = new WeakSet();      // shadow roots already watched

const CONTROLS = "button, [role=slider], input[type=checkbox], input[type=file], .bk-OnOffButton, " +
  ".bk-ToolButton, .bk-tool-overflow, canvas";

function fix(el) {
  if (el.matches(CONTROLS)) nameControl(el);
  if (el.shadowRoot) watch(el.shadowRoot);
  if (el.matches(".bk-header")) makeTabs(el);
  if (el.matches(REGION)) nameRegion(el);
  if (el.matches(".bk-Canvas")) plotAdded();
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
  batchBegins();
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
    // A pane drawn anew replaces its shadow root's children: the record's target is the root itself.
    if (record.target instanceof ShadowRoot && record.target.host.matches(".saved-work-message")) {
      hosts.add(record.target.host);
    }
  }
  let trainingTouched = false;
  const announced = [];   // e.g. predict mode's "Right" / "Not right": said last, after the explanation it answers
  for (const host of hosts) {
    fix(host);
    if (host.matches(".graph-explain")) explainChanged(host);
    if (host.matches(".graph-summary")) answerChanged();
    if (host.matches(".saved-work, .saved-work-message, .saved-work-back")) savedWorkChanged();
    if (host.matches(".a11y-announce")) announced.push(host);
    if (host.matches(".train-status, .train-play, .train-pause")) trainingTouched = true;
    const slider = host.shadowRoot && host.shadowRoot.querySelector("[role=slider]");
    if (slider) nameControl(slider);
    const summary = host.matches(".graph-summary") && find(".graph-plot") && deepQueryAll("canvas", find(".graph-plot").shadowRoot)[0];
    if (summary) nameControl(summary);
  }
  if (trainingTouched) trainingChanged();
  // Said a moment later: the explanation the answer reveals is redrawn after it, and would replace it.
  if (announced.length) setTimeout(() => { for (const host of announced) say(shownText(host)); }, 250);
  keepFocus();
});

document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
watch(document);
