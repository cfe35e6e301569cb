// The graph view's in-page half: draws backward step k and plays the steps with a moving pulse.
// Python sends the graph and its backward steps once (ColumnDataSources); everything here runs in the page,
// so the animation needs no Python round trip. The only value sent back is the step slider's value.
// Page-only changes use setv(..., {sync: false}) so frames are never sent to Python.
//
// Bokeh runs this as one CustomJS body for every trigger (the page gets the code once, not once per button);
// `action` (worked out at the end) picks one of HANDLERS: render, play, step, back, reset, backward, zoom (the
// ranges moved), fit_whole (the Fit button), resize (the plot's frame changed size), and data (Python sent a
// new graph; a new number in its "frame" column asks to frame it afresh), mode (the Backward / build_topo switch).
// framing.js, run before this in the same body, places the view: fit, follow (each step's boxes), zoom, resize.
// Sources: values (value nodes), ops (op nodes), edges, steps, pulse, topo (build_topo's steps: in build_topo
// mode the same buttons step through them, page only: render_topo).
// Text goes into the table and the explanation only through esc(): labels are never trusted as HTML.

const A = steps.__graph_anim || (steps.__graph_anim = {playing: false, timer: null, mine: new WeakSet()});
const S = steps.data;
const N = S.node.length;  // steps 1..N; step 0 is "before backward"
const reduced = window.matchMedia != null && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
// The pointer's own words, as the hints (touch.js): on a touch screen a drag pans only after the pan tool.
const touch = window.matchMedia != null && window.matchMedia("(pointer: coarse)").matches;
// Colour-blind-safe blue/orange (drawing.py's COLORS); IDLE is 3.7:1 on white (graphics need 3:1). The sign has a
// second cue: a negative contribution's edge is dashed (NEGATIVE_DASH), so a greyscale printout tells them apart.
const POSITIVE = colors.positive, NEGATIVE = colors.negative, IDLE = colors.idle, NEGATIVE_DASH = "dashed";

function esc(text) {
  const entity = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};
  return String(text).replace(/[&<>"']/g, (c) => entity[c]);
}
function fmt(x) { return x == null ? "\u2014" : x === HIDDEN ? HIDDEN : Number(x).toFixed(4); }
function tipNumber(x) { return String(Number(x.toPrecision(12))); }  // the hover's number: printf's %.12g
function gradTip(g) {  // the hover's grad line (drawing.py's grad_tip column): "?" while the student predicts it
  return g == null ? "\u2014" : g === HIDDEN ? HIDDEN : tipNumber(g);
}
function shortNumber(x) {  // at most 10 characters, like short_number() in view.py
  const text = x.toFixed(4);
  return text.length > 10 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : text;
}
function current_step() { return Math.max(0, Math.min(N, slider.value)); }
// Predict mode (predict_view.py): `predict` lists the steps (1-based) whose grad may show; [-1] when not predicting.
// A grad not yet worked out by the student shows as "?", and its edge stays grey.
const HIDDEN = "?";
const revealed = predict.data.step.length === 1 && predict.data.step[0] === -1 ? null : new Set(predict.data.step);
function hidden(j) { return revealed !== null && !revealed.has(j + 1); }  // j: 0-based step

function render(k) {
  const V = values.data, E = edges.data, O = ops.data;
  const row = new Map(V.id.map((id, r) => [id, r]));
  const grad = new Array(V.id.length).fill(null);
  for (let j = 0; j < k; j++) grad[row.get(S.node[j])] = hidden(j) ? HIDDEN : S.grad_after[j];

  // Edges already travelled take the colour of their contribution's sign and a width growing with its size.
  let biggest = 0;
  for (let j = 0; j < N; j++) biggest = Math.max(biggest, Math.abs(S.contribution[j]));
  const color = E.source.map(() => IDLE), width = E.source.map(() => 1.2), alpha = E.source.map(() => 1.0);
  const dash = E.source.map(() => "solid");
  for (let j = 0; j < k; j++) {
    const e = S.edge[j];
    if (e < 0 || hidden(j)) continue;
    const c = S.contribution[j];
    color[e] = c > 0 ? POSITIVE : c < 0 ? NEGATIVE : IDLE;
    dash[e] = c < 0 ? NEGATIVE_DASH : "solid";
    width[e] = 1.5 + 5 * Math.log1p(Math.abs(c)) / Math.log1p(biggest || 1);
    alpha[e] = j === k - 1 ? 1.0 : 0.85;
  }
  const now = k > 0 ? k - 1 : -1;
  const receiver = now >= 0 ? S.node[now] : -1, giver = now >= 0 ? S.from[now] : -1;
  const line_color = V.id.map((id) => id === receiver ? colors.receiving : id === giver ? colors.running : colors.line);
  const line_width = V.id.map((id) => id === receiver || id === giver ? 3.5 : 1.2);
  const op_line = O.id.map((id) => id === giver ? colors.running : colors.line);
  values.setv({data: {...V, grad: grad.map((g) => g == null || g === HIDDEN ? NaN : g),
                      grad_text: grad.map((g, r) => V.constant[r] ? "" : "grad " + (g == null ? "\u2014" : g === HIDDEN ? HIDDEN : shortNumber(g))),
                      grad_tip: grad.map(gradTip),
                      topo_text: V.topo.map((t) => `topo[${t}]`), tag_alpha: V.topo.map(() => 1), line_color,
                      line_width}}, {sync: false});
  edges.setv({data: {...E, color, width, alpha, dash}}, {sync: false});
  ops.setv({data: {...O, line_color: op_line}}, {sync: false});
  for (const source of [values, edges, ops]) A.mine.add(source.data);  // so "data" below knows they are ours
  if (!A.playing) pulse.setv({data: {x: [], y: [], color: []}}, {sync: false});

  explain.setv({text: `<style>${css}</style>` + explanation(k, V, row, grad)}, {sync: false});
  table.setv({text: `<style>${css}</style>` + node_table(V, E, grad, receiver, V.topo)}, {sync: false});
}

// build_topo mode: after j of its steps, the appended nodes carry their numbers, the node of step j is marked
// (green) and the calls still open (visited, not yet appended) are outlined purple; no grads yet.
function render_topo(j) {
  const V = values.data, E = edges.data, O = ops.data, T = topo.data, M = T.node.length;
  const number = new Map(), open = [];
  for (let i = 0; i < j; i++) {
    if (T.event[i] === "visit") open.push(T.node[i]);
    else if (T.event[i] === "append") { open.pop(); number.set(T.node[i], T.number[i]); }
  }
  const now = j > 0 ? T.node[j - 1] : -1;
  const line_color = V.id.map((id) => id === now ? colors.running : open.includes(id) ? colors.receiving : colors.line);
  const line_width = V.id.map((id) => id === now || open.includes(id) ? 3.5 : 1.2);
  values.setv({data: {...V, grad: V.id.map(() => NaN), grad_text: V.constant.map((c) => c ? "" : "grad \u2014"),
                      grad_tip: V.id.map(() => "\u2014"),
                      topo_text: V.id.map((id) => number.has(id) ? `topo[${number.get(id)}]` : ""),
                      tag_alpha: V.id.map((id) => number.has(id) ? 1 : 0),
                      line_color, line_width}}, {sync: false});
  edges.setv({data: {...E, color: E.source.map(() => IDLE), width: E.source.map(() => 1.2),
                     alpha: E.source.map(() => 1.0), dash: E.source.map(() => "solid")}}, {sync: false});
  ops.setv({data: {...O, line_color: O.id.map(() => colors.line)}}, {sync: false});
  for (const source of [values, edges, ops]) A.mine.add(source.data);
  pulse.setv({data: {x: [], y: [], color: []}}, {sync: false});
  const row = new Map(V.id.map((id, r) => [id, r]));
  const text = j === 0
    ? `build_topo(${esc(V.name[V.name.length - 1])}) numbers the nodes, depth first, inputs before the nodes that ` +
      `use them. Press Step. Green: the node of this step; purple: calls still open (visited, not yet appended).`
    : esc(T.caption[j - 1]);
  explain.setv({text: `<style>${css}</style><p class="chain-rule"><b>build_topo: step ${j} of ${M}.</b> ${text}</p>`},
               {sync: false});
  table.setv({text: `<style>${css}</style>` + node_table(V, E, V.id.map(() => null), now,
                                                        V.id.map((id) => number.has(id) ? number.get(id) : ""))},
             {sync: false});
  A.topo_k = j;
}

function explanation(k, V, row, grad) {
  const name = (id) => esc(V.name[row.get(id)]);
  const topo = (id) => `topo[${V.topo[row.get(id)]}]`;  // the node's index in build_topo's list
  const out = name(S.node[0]);
  if (k === 0)
    return `<p class="chain-rule"><b>Step 0 of ${N}.</b> Before backward every grad is 0. Press Step.` +
      (A.too_big ? ` <i class="graph-too-big">Too big to show whole and readable: this is its output end ` +
       `(${touch ? "\u2725 then drag to pan" : "drag to pan"}; Fit graph shows it all, small).</i>` : "") + `</p>`;
  const s = k - 1;
  if (S.from[s] < 0 && hidden(s))
    return `<p class="chain-rule"><b>Step 1 of ${N}.</b> Backward starts at the output, ${topo(S.node[s])}. ` +
      `<b>Your turn:</b> what grad does ${out} start with? Type it in the box below and press Enter.</p>`;
  if (S.from[s] < 0)
    return `<p class="chain-rule"><b>Step 1 of ${N}.</b> Backward starts at the output, ${topo(S.node[s])}, ` +
      `the last of topo: d${out}/d${out} = 1.</p>`;
  const to = name(S.node[s]), from = name(S.from[s]);
  if (hidden(s))   // predict mode: the student works it out (the question is under this line)
    return `<p class="chain-rule"><b>Step ${k} of ${N}.</b> reversed(topo) reaches ${topo(S.from[s])}: ` +
      `gradient flows from ${from} back to ${to}. <b>Your turn:</b> what is the grad of ${to} now? ` +
      `Type it in the box below and press Enter.</p>`;
  const before = S.grad_after[s] - S.contribution[s];
  const sum = before === 0 ? `${to}.grad = ${fmt(S.grad_after[s])}`
    : `${to}.grad = ${fmt(before)} + ${fmt(S.contribution[s])} = ${fmt(S.grad_after[s])} (running sum)`;
  const constant = V.constant[row.get(S.node[s])] ? ` (${to} is a constant: its grad is worked out, never used)` : "";
  return `<p class="chain-rule"><b>Step ${k} of ${N}.</b> reversed(topo) reaches ${topo(S.from[s])}: ` +
    `gradient flows from ${from} back to ${to}${constant}.<br>` +
    `local derivative d${from}/d${to} = ${fmt(S.local[s])} &times; ` +
    `upstream grad d${out}/d${from} = ${fmt(S.upstream[s])}` +
    ` = contribution ${fmt(S.contribution[s])}<br>${sum}</p>`;
}

function node_table(V, E, grad, receiver, numbers) {
  // Who feeds whom, as text: each node's inputs in operand order (the drawing's edges).
  const row = new Map(V.id.map((id, r) => [id, r]));
  const inputs = V.id.map(() => []);
  for (let e = 0; e < E.source.length; e++) inputs[row.get(E.target[e])][E.slot[e]] = V.name[row.get(E.source[e])];
  // The table is wider than its column and scrolls sideways; its caption would be cut with it, so the words
  // are shown above it, wrapped to the column, and the caption (hidden) names the table for screen readers.
  const title = 'Nodes in topological order (topo: the index in build_topo\'s list); backward runs them from the ' +
    'last row up'
  let html = `<p class="graph-nodes-title" aria-hidden="true">${title}</p>` +
    `<table class="graph-nodes"><caption>${title}</caption>` +
    // data and grad first: a narrow table column shows the numbers and scrolls to topo and the inputs
    '<thead><tr><th scope="col">label</th><th scope="col">op</th><th scope="col">data</th>' +
    '<th scope="col">grad</th><th scope="col">topo</th><th scope="col">inputs</th></tr></thead><tbody>';
  for (let r = 0; r < V.id.length; r++) {
    const mark = V.id[r] === receiver ? ' class="current" aria-current="true"' : "";
    html += `<tr data-node="${V.id[r]}"${mark}><th scope="row">${esc(V.name[r])}</th>` +
      `<td>${esc(V.op[r] || (V.constant[r] ? "constant" : "leaf"))}</td>` +
      `<td>${fmt(V.data[r])}</td><td>${V.constant[r] ? "" : fmt(grad[r])}</td><td class="topo">${numbers[r]}</td>` +
      `<td class="inputs">${esc(inputs[r].filter((n) => n != null).join(", "))}</td></tr>`;
  }
  return html + "</tbody></table>";
}

// --- playing -------------------------------------------------------------------------------------------

function stop() {
  A.playing = false;
  clearTimeout(A.timer);
  cancelAnimationFrame(A.pulse_frame);
  play.label = "Play";
  pulse.setv({data: {x: [], y: [], color: []}}, {sync: false});
}

function point_along(xs, ys, t) {  // t = 0 at the first point, 1 at the last
  const f = t * (xs.length - 1), i = Math.min(xs.length - 2, Math.floor(f)), u = f - i;
  return [xs[i] + u * (xs[i + 1] - xs[i]), ys[i] + u * (ys[i + 1] - ys[i])];
}

function play_next() {
  const k = current_step();
  if (!A.playing) return;
  if (k >= N) { stop(); return; }
  const duration = 1400 / Math.max(0.1, speed.value);
  const e = S.edge[k];
  follow_step(k + 1);  // the edge this step's pulse runs along, in view before it runs
  const advance = () => { slider.value = k + 1; A.timer = setTimeout(play_next, reduced ? duration / 2 : 60); };
  if (reduced || e < 0) { A.timer = setTimeout(advance, duration / 2); return; }
  // The pulse runs backward along the edge: from the consumer's op node to the input that receives it.
  const xs = edges.data.xs[e], ys = edges.data.ys[e];
  const c = S.contribution[k], colour = c > 0 ? POSITIVE : c < 0 ? NEGATIVE : IDLE;
  const start = performance.now();
  const tick = (now) => {
    if (!A.playing) return;
    const t = Math.min(1, (now - start) / duration);
    const [x, y] = point_along(xs, ys, 1 - t);
    pulse.setv({data: {x: [x], y: [y], color: [colour]}}, {sync: false});
    if (t < 1) A.pulse_frame = requestAnimationFrame(tick); else advance();
  };
  A.pulse_frame = requestAnimationFrame(tick);
}

function play_topo_next() {  // build_topo mode: one step of the sort at a time
  if (!A.playing) return;
  if ((A.topo_k || 0) >= topo.data.node.length) { stop(); return; }
  render_topo((A.topo_k || 0) + 1);
  follow_step(A.topo_k);
  A.timer = setTimeout(play_topo_next, 900 / Math.max(0.1, speed.value));
}

// Which trigger ran this callback: a button's click (an event from it), a moved range, a resized
// plot, new data from Python, or else the slider or the page being ready (draw the current step).
const origin = cb_obj.origin !== undefined ? cb_obj.origin : cb_obj;
const action = buttons.includes(origin) ? button_actions[buttons.indexOf(origin)]
  : origin === plot ? "resize"
  : origin === x_range || origin === y_range ? "zoom"
  : origin === mode ? "mode"
  : [values, edges, ops, steps, topo, predict].includes(origin) ? "data"
  : "render";

// One handler per action; the step buttons stop a playing animation first. In build_topo mode they step
// through the sort instead (A.topo_k: how many of its steps are shown).
const sorting = mode.active === 1;
function go_to(k) { stop(); slider.value = k; }
function go_topo(j) { stop(); render_topo(Math.max(0, Math.min(topo.data.node.length, j))); follow_step(A.topo_k); }
function draw() { if (sorting) render_topo(Math.min(A.topo_k || 0, topo.data.node.length)); else render(current_step()); }
// The boxes of a step: backward's node receiving its grad and the node whose _backward runs (before backward,
// step 0: the output, where it starts); build_topo's node.
function step_nodes(k) {
  if (N === 0) return [];
  return k >= 1 && k <= N ? [S.node[k - 1], S.from[k - 1]].filter((id) => id >= 0) : [S.node[0]];
}
function topo_nodes(j) { return j >= 1 && j <= topo.data.node.length ? [topo.data.node[j - 1]] : []; }
function current_nodes() { return sorting ? topo_nodes(A.topo_k || 0) : step_nodes(current_step()); }
function follow_step(k) {  // the view follows each step once: a student who pans away from a step stays there
  const key = (sorting ? "topo " : "") + k;
  if (A.followed === key) return;
  A.followed = key;
  follow(sorting ? topo_nodes(k) : step_nodes(k), true, !sorting && k === 0);
}
const HANDLERS = {
  render() { if (!A.framed) fit(false); draw(); if (!sorting) follow_step(current_step()); },
  fit_whole() { fit(true); draw(); },
  resize,
  zoom,
  data() {  // CustomJS runs asynchronously: skip the data this script itself drew
    if (A.mine.has(cb_obj.data)) return;
    stop();
    if (origin === topo) A.topo_k = 0;  // a new graph's sort starts again
    if (values.data.frame && values.data.frame[0] !== A.frame_no) fit(false);
    draw();
  },
  mode() {  // Backward <-> build_topo: the sort starts from its beginning; the backward slider is for Backward
    stop();
    A.topo_k = 0;
    slider.setv({visible: !sorting}, {sync: false});
    draw();
  },
  play() {
    if (A.playing) { stop(); return; }
    A.playing = true;
    play.label = "Pause";
    if (sorting) {
      if ((A.topo_k || 0) >= topo.data.node.length) render_topo(0);
      play_topo_next();
      return;
    }
    if (current_step() >= N) slider.value = 0;
    play_next();
  },
  step() { if (sorting) go_topo((A.topo_k || 0) + 1); else go_to(Math.min(N, current_step() + 1)); },
  back() { if (sorting) go_topo((A.topo_k || 0) - 1); else go_to(Math.max(0, current_step() - 1)); },
  reset() { if (sorting) go_topo(0); else go_to(0); },
  backward() { if (sorting) go_topo(topo.data.node.length); else go_to(N); },
};
HANDLERS[action]();
