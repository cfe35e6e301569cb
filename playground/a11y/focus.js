// The focus kept on a button that Bokeh redraws (the graph's Play/Pause, relabelled) or disables (the
// training view's Play while it plays): it moves to the new button or to an enabled neighbour.
// Uses shadow.js.

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
  // Without scrolling: a pause the student did not make (an embed scrolled out of view pauses: static/embed-frame.js)
  // must not pull the course page back to the frame.
  if (next && !next.disabled) next.focus({preventScroll: true});
}
