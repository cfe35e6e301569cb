// Names for what Bokeh and Panel draw without one: spin buttons, slider handles (with aria-valuetext),
// checkboxes, the file inputs, the layer +/- buttons, the plots' toolbars, the drawings (role="img"
// with a text summary) and the regions that scroll (node table, the lesson's pictures). Uses shadow.js.

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

// What scrolls (the node table, the lesson's pictures of a wide graph) must take the focus so the keyboard
// can scroll it, and a screen reader can name the region.
const REGIONS = [   // [selector, name]
  [".graph-table", "Node table"],
  [".lesson-code-picture, .lesson-topo-picture, .lesson-nudge-picture, .lesson-pictures > div",
   "Picture of the graph (scrolls sideways)"],
];
const REGION = REGIONS.map(([selector]) => selector).join(", ");

function nameRegion(el) {
  const [, name] = REGIONS.find(([selector]) => el.matches(selector));
  setAttr(el, "tabindex", "0");
  setAttr(el, "role", "region");
  setAttr(el, "aria-label", name);
}
