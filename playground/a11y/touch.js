// Touch screens and phones (docs/devices.md).
// Bokeh takes a one-finger drag over a plot as a pan whenever a pan tool is active, so a student swiping up
// over a plot moved the plot instead of the page. Where the main pointer is a finger, each plot starts with
// no drag tool active: Bokeh then lets a swipe scroll the page and gives a pinch to the plot's zoom tool; the
// pan tool in the toolbar is there to choose. The graph's hint names those gestures instead of the mouse's.
// On a phone the program sits under the plot (playground/graph/view.py): after Draw the page scrolls back up
// to the answer and the plot.

const COARSE = matchMedia("(pointer: coarse)");
const PROGRAM_BELOW = matchMedia("(max-width: 900px)");   // view.py's NARROW_CSS: the program after the plot
const TOUCH_TITLES = {graph_plot: "Pinch: zoom \u00b7 \u2725 then drag: pan \u00b7 tap a node: edit"};
const touchedPlots = new WeakSet();
let plotsPending = false;

function touchPlots() {
  plotsPending = false;
  if (!COARSE.matches || !window.Bokeh) return;
  for (const doc of Bokeh.documents) {
    for (const model of doc.all_models) {
      if (!model.toolbar || !model.toolbar.tools || touchedPlots.has(model)) continue;
      touchedPlots.add(model);
      // Through the toolbar, not the tool: only a change of the toolbar's active tools makes Bokeh set the
      // plot's touch-action again (pan-x pan-y: the browser scrolls; a pinch still reaches the zoom tool).
      const panning = model.toolbar.tools.some((tool) => tool.active && (tool.event_types || []).includes("pan"));
      if (panning) model.toolbar.active_drag = null;
      if (TOUCH_TITLES[model.name] && model.title) model.title.text = TOUCH_TITLES[model.name];
    }
  }
}
function plotAdded() {   // watch.js: Bokeh drew a canvas (a new plot, e.g. the training view built later)
  if (!plotsPending) { plotsPending = true; setTimeout(touchPlots, 0); }
}

let drawPressedAt = 0;
document.addEventListener("click", (event) => {
  if (event.composedPath().some((el) => el.matches && el.matches(".graph-draw"))) drawPressedAt = Date.now();
}, true);
function answerChanged() {   // watch.js: the graph's summary line ("Output c = -6.0000; ...") changed
  if (!PROGRAM_BELOW.matches || Date.now() - drawPressedAt > 5000) return;
  drawPressedAt = 0;
  const summary = find(".graph-summary");
  const smooth = !matchMedia("(prefers-reduced-motion: reduce)").matches;
  if (summary) summary.scrollIntoView({block: "start", behavior: smooth ? "smooth" : "auto"});
}
touchPlots();
