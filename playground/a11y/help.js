// The keyboard help popover (its button in the header, and a second one beside the skip link for an
// embedding without the header) and the lesson's single-key shortcuts, listed in it from `shortcuts`
// (a11y/__init__.py SHORTCUTS), and the page's version. Uses shadow.js and page.js (the skip link).

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
const about = document.createElement("p");   // which version this page is (pyproject.toml's, through `version`)
about.className = "a11y-help-version";
about.textContent = `micrograd playground ${version}`;
help.appendChild(about);
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
