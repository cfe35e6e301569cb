// Replaces send_change in Panel's page script (sitebuild/convert.py puts it there). Panel's own
// version holds value changes while Python is busy but sends clicks and other messages at once,
// so a click could reach Python before the text typed just before it. Here every event waits
// its turn in one queue. A value changed again replaces its pending change only when no other
// event came between them, so a dragged slider still sends one change, not hundreds.
function send_change(jsdoc, event) {
  if ((event.setter_id != null && event.setter_id == 'py') || (patching > 0)) {
    return
  }
  // What the page sets with {sync: false} (the animation's texts and data) stays on the page, as in
  // Bokeh's own client session: sending it made Python take ~7 KB of HTML it never reads, in its own
  // round trip before the student's first event.
  if (event.sync === false) {
    return
  }
  if (pyodideWorker.busy) {
    const queue = pyodideWorker.queue
    const last = queue[queue.length - 1]
    const same_value = last && event.attr && last.model === event.model && last.attr === event.attr
    if (same_value) {
      queue[queue.length - 1] = event
    } else {
      queue.push(event)
    }
    return
  }
  const patch = jsdoc.create_json_patch([event])
  pyodideWorker.busy = true
  pyodideWorker.postMessage({type: 'patch', patch: patch})
}

// Early input. The page shows its prerendered app long before Python is live, and a student may type
// or click in it at once. The worker counts as busy until it has rendered, so those events wait in the
// same queue, in order, and go to Python as one patch right after the render (sendEarlyEvents, called by
// templates/early_worker_handover.js). Only what a student does is kept: the page's own drawing (data
// the animation fills in, sizes the layout measures) is redone by the page and is not Python's business.
pyodideWorker.busy = true
const PAGE_OWN_EVENTS = new Set(['ColumnDataChanged', 'ColumnsStreamed', 'ColumnsPatched'])
const PAGE_OWN_ATTRS = new Set(['inner_width', 'inner_height', 'outer_width', 'outer_height', 'start', 'end',
                                'reset_start', 'reset_end', 'dimensions'])

function listenEarly() {
  window.prerendered?.then(([views]) => {
    const early = [...views.roots.values()][0].model.document
    pyodideWorker.early = early
    early.on_change((event) => {
      if (pyodideWorker.jsdoc || PAGE_OWN_EVENTS.has(event.kind) || PAGE_OWN_ATTRS.has(event.attr)
          || event.msg_data?.event_name === 'document_ready') {   // Python says its own when linked
        return   // once Python is live, Panel's own listener sends everything
      }
      send_change(early, event)
    }, false)
  }).catch(() => {})
}
// The prerendered app is drawn on DOMContentLoaded, after this script: listen once it is there.
document.addEventListener('DOMContentLoaded', () => setTimeout(listenEarly), {once: true})

// A start from scratch draws a document of its own (the same app built the same way, under other ids): the
// models of the prerendered one are paired with it, place by place from the roots (the same class, reached
// through the same attribute), and each early event is made again on its pair. There it shows (the student's
// typed text is back in its box) and goes to Python in order, as if made there.
function pairedModels(early, live) {
  const pairs = new Map()
  const isModel = (value) => typeof value?.setv === 'function' && 'properties' in value
  const walk = (a, b) => {
    if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') { return }
    if (isModel(a)) {
      if (!isModel(b) || a.constructor !== b.constructor || pairs.has(a)) { return }
      pairs.set(a, b)
      const other = b.attributes
      for (const [name, value] of Object.entries(a.attributes)) { walk(value, other[name]) }
    } else if (Array.isArray(a) && Array.isArray(b)) {
      a.forEach((value, i) => walk(value, b[i]))
    } else if (a instanceof Map && b instanceof Map) {
      for (const [key, value] of a) { walk(value, b.get(key)) }
    } else if (Object.getPrototypeOf(a) === Object.prototype && Object.getPrototypeOf(b) === Object.prototype) {
      for (const [key, value] of Object.entries(a)) { walk(value, b[key]) }
    }
  }
  const liveRoots = live.roots()
  early.roots().forEach((root, i) => walk(root, liveRoots[i]))
  return pairs
}

// Makes the early events again on the live document; returns those that had no pair there.
function remakeEarlyEvents(events, early, live) {
  const pairs = pairedModels(early, live)
  const lost = []
  for (const event of events) {
    const origin = event.msg_data?.origin
    if (event.kind === 'ModelChanged' && pairs.has(event.model)) {
      const value = pairs.get(event.value) ?? event.value
      pairs.get(event.model).setv({[event.attr]: value})
    } else if (event.kind === 'MessageSent' && event.msg_type === 'bokeh_event' && pairs.has(origin)) {
      const copy = Object.assign(Object.create(Object.getPrototypeOf(event.msg_data)), event.msg_data)
      pairs.get(origin).trigger_event(copy)   // which makes it the pair's own event
    } else {
      lost.push(event)
    }
  }
  return lost
}

// Said on the page, not only in the console: what could not be delivered has to be done again.
function sayNotKept(count) {
  const note = document.createElement('div')
  note.className = 'early-not-kept'
  note.setAttribute('role', 'alert')
  note.textContent = `${count === 1 ? 'One change' : `${count} changes`} you made while Python was starting ` +
    'could not be kept: please make them again. '
  const close = document.createElement('button')
  close.type = 'button'
  close.textContent = 'OK'
  close.addEventListener('click', () => note.remove())
  note.append(close)
  document.body.append(note)
}

function sendEarlyEvents() {
  const early = pyodideWorker.queue
  pyodideWorker.queue = []
  if (pyodideWorker.jsdoc !== pyodideWorker.early && early.length) {
    // The worker's app replaced the prerendered one (a start from scratch): its models are not Python's.
    let lost = early
    try {
      lost = remakeEarlyEvents(early, pyodideWorker.early, pyodideWorker.jsdoc)   // into pyodideWorker.queue
    } catch (error) {
      console.error('The changes made before the app was live could not be made again:', error)
    }
    if (lost.length) {
      console.warn(`${lost.length} changes made before the app was live could not be kept`)
      sayNotKept(lost.length)
    }
  } else {
    pyodideWorker.queue = early
  }
  const queue = pyodideWorker.queue
  pyodideWorker.queue = []
  if (queue.length) {
    pyodideWorker.postMessage({type: 'patch', patch: pyodideWorker.jsdoc.create_json_patch(queue)})
  } else {
    pyodideWorker.busy = false
  }
}
