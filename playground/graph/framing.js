// Where the graph view looks: framing a graph, following backward, zooming the text. Part of the same CustomJS
// body as animation.js (steps.py joins them; this part first), so it shares its names: A (the page's own state),
// values, ops, edges, plot, x_range, y_range, box, pad, op_radius, zooms, reduced, ...
//
// The page places the view itself and remembers where (A.placed): fit() frames a new graph (whole when it fits
// at a readable zoom, else its output end), follow() brings the nodes of the step shown into view. Ranges found
// anywhere else were moved by the student (drag, pinch, wheel, the toolbar's reset): for HAND_PAUSE ms nothing
// follows, and until the page places the view again a resize keeps the student's centre and zoom.

const HAND_PAUSE = 4000;  // ms after the student's own pan or zoom during which the view does not follow
const GLIDE_MS = 350;     // a follow's smooth move (none with prefers-reduced-motion)

function frame() {  // the plot's frame in pixels; Python's guess until the page has laid the plot out
  const w = plot.inner_width, h = plot.inner_height;
  return w > 0 && h > 0 ? [w, h] : [frame_width, plot.frame_height || frame_height];
}

function extent(ids) {  // _extent() in drawing.py: [x0, x1, y0, y1] around the drawing, or only the boxes `ids`
  const V = values.data, O = ops.data, E = edges.data;
  const xs = [], ys = [];
  const add = (x, y, half_w, half_h) => { xs.push(x - half_w, x + half_w); ys.push(y - half_h, y + half_h); };
  if (ids) {
    const row = new Map(V.id.map((id, r) => [id, r]));
    for (const id of ids) if (row.has(id)) add(V.x[row.get(id)], V.y[row.get(id)], box[0] / 2, box[1] / 2);
  } else {
    V.x.forEach((x, r) => add(x, V.y[r], box[0] / 2, box[1] / 2));
    O.x.forEach((x, r) => add(x, O.y[r], op_radius, op_radius));
    E.xs.forEach((line, e) => line.forEach((x, i) => add(x, E.ys[e][i], 0, 0)));
  }
  if (xs.length === 0) return null;
  return [Math.min(...xs) - pad[0], Math.max(...xs) + pad[0], Math.min(...ys) - pad[1], Math.max(...ys) + pad[1]];
}

function place(x0, x1, y0, y1, extra) {  // set the ranges as the page's own choice (extra: reset_start, sync)
  A.placed = [x0, x1, y0, y1];
  const {x = {}, y = {}, sync = true} = extra || {};
  y_range.setv({start: y0, end: y1, ...y}, sync ? {} : {sync: false});
  x_range.setv({start: x0, end: x1, ...x}, sync ? {} : {sync: false});  // last: its change redraws the text
}

function moved_by_hand() {  // did the ranges move since the page placed them? Then note the student's move.
  const p = A.placed, now = [x_range.start, x_range.end, y_range.start, y_range.end];
  if (!p) return false;
  const tolerance = 1e-6 * Math.abs(p[1] - p[0]);
  if (!now.some((v, i) => Math.abs(v - p[i]) > tolerance)) return false;
  A.hand_at = performance.now();
  A.by_hand = true;
  A.placed = now;  // later moves are measured from here
  cancelAnimationFrame(A.glide);
  A.target = null;
  return true;
}

function view_of(x_mid, y_mid, scale) {  // the ranges that centre (x_mid, y_mid) at `scale` pixels per unit
  const [w, h] = frame();
  return [x_mid - w / scale / 2, x_mid + w / scale / 2, y_mid - h / scale / 2, y_mid + h / scale / 2];
}

function show(x_mid, y_mid, scale, as_reset) {  // place the view at once; as_reset: the toolbar's reset comes back here
  cancelAnimationFrame(A.glide);
  A.target = null;
  const [x0, x1, y0, y1] = view_of(x_mid, y_mid, scale);
  A.scale = scale;
  A.width = frame()[0];  // the frame width these ranges were made for
  place(x0, x1, y0, y1, as_reset ? {x: {reset_start: x0, reset_end: x1}, y: {reset_start: y0, reset_end: y1}} : {});
}

function glide(x_mid, y_mid, scale) {  // move the view there smoothly (at once with reduced motion)
  if (reduced) { show(x_mid, y_mid, scale, false); return; }
  cancelAnimationFrame(A.glide);
  const to = view_of(x_mid, y_mid, scale), from = [x_range.start, x_range.end, y_range.start, y_range.end];
  const start = performance.now();
  A.target = to;
  A.scale = scale;
  A.width = frame()[0];
  const tick = (now) => {
    if (moved_by_hand()) return;  // the student took the view over: it is theirs
    const t = Math.min(1, (now - start) / GLIDE_MS), ease = t < 0.5 ? 2 * t * t : 1 - 2 * (1 - t) * (1 - t);
    const at = from.map((a, i) => a + (to[i] - a) * ease);
    place(at[0], at[1], at[2], at[3], {sync: t === 1});  // only the last one goes to Python
    if (t < 1) A.glide = requestAnimationFrame(tick); else A.target = null;
  };
  A.glide = requestAnimationFrame(tick);
}

function framing(whole) {  // initial_ranges() in drawing.py, with the real frame: [x_mid, y_mid, scale, too_big]
  const V = values.data, [w, h] = frame(), all = extent(null);
  if (all === null) return null;
  const [x0, x1, y0, y1] = all;
  const scale = Math.min(1, w / (x1 - x0), h / (y1 - y0));
  if (whole || scale >= zooms[0]) return [(x0 + x1) / 2, (y0 + y1) / 2, scale, false];
  return [x1 - w / zooms[1] / 2, V.y[V.y.length - 1], zooms[1], true];  // the output end, readable
}

function fit(whole) {  // frame the graph at once; whole: "Fit graph", at any zoom
  const f = framing(whole);
  if (f === null) return;
  A.too_big = f[3];
  A.whole = whole;
  A.by_hand = false;
  A.followed = null;
  show(f[0], f[1], f[2], !whole);
  A.framed = plot.inner_width > 0;
  A.frame_no = values.data.frame ? values.data.frame[0] : null;
}

// Bring the boxes `ids` into view (smooth: glide there), unless the student has just moved the view. start: they
// are the output before backward: then back to the graph's first framing (a big graph's output end).
function follow(ids, smooth, start) {
  if (!A.framed || ids.length === 0) return;
  if (performance.now() - (A.hand_at || -Infinity) < HAND_PAUSE) return;
  const want = extent(ids);
  if (want === null) return;
  const [bx0, bx1, by0, by1] = want;
  const view = A.target || [x_range.start, x_range.end, y_range.start, y_range.end];  // where it is, or is going
  const in_x = bx0 >= view[0] && bx1 <= view[1], in_y = by0 >= view[2] && by1 <= view[3];
  if (in_x && in_y) return;
  A.by_hand = false;
  const f = start ? framing(A.whole) : null;
  if (f !== null) { if (smooth) glide(f[0], f[1], f[2]); else show(f[0], f[1], f[2], false); return; }
  const [w, h] = frame(), now = w / (view[1] - view[0]);
  const scale = Math.min(now, w / (bx1 - bx0), h / (by1 - by0));  // zoom out only if they cannot fit
  const keep = scale === now;  // then move only along the axis where they are out of view
  const x_mid = keep && in_x ? (view[0] + view[1]) / 2 : (bx0 + bx1) / 2;
  const y_mid = keep && in_y ? (view[2] + view[3]) / 2 : (by0 + by1) / 2;
  if (smooth) glide(x_mid, y_mid, scale); else show(x_mid, y_mid, scale, false);
}

function resize() {  // the frame changed size (window, panel, tab shown, a new graph's height)
  if (!A.framed || !(A.scale > 0) || !A.by_hand) {  // the page's own view: place it again for this frame
    const too_big = A.too_big;
    fit(A.framed ? A.whole : false);
    follow(current_nodes(), false, !sorting && current_step() === 0);
    if (A.too_big !== too_big) draw();  // the explanation says whether the graph is too big
    return;
  }
  const [x0, x1, y0, y1] = [x_range.start, x_range.end, y_range.start, y_range.end];  // the student's: keep it
  show((x0 + x1) / 2, (y0 + y1) / 2, A.scale, false);
}

function zoom() {  // text scales with the zoom so it always fits its box; lines too small to read are hidden
  moved_by_hand();
  const span = x_range.end - x_range.start, scale = frame()[0] / span;
  if (!(scale > 0 && scale < 8)) return;  // start and end arrive one at a time: skip the moment between
  // The zoom a resize must keep: measured with the width the ranges were made for, since callbacks run
  // late and the frame may have changed size in between (resize() then puts that right).
  A.scale = (A.width || frame()[0]) / span;
  const readable = sizes.map((size) => size * scale >= min_text);
  const name_alone = readable[0] && !readable[1];  // just the name: centred in its box
  texts.forEach((glyph, i) => glyph.setv({
    text_font_size: `${(sizes[i] * scale).toFixed(1)}px`,
    y_offset: (i === 0 && name_alone ? 0 : offsets[i]) * scale}, {sync: false}));
  text_renderers.forEach((r, i) => r.setv({visible: readable[i]}, {sync: false}));
}
