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

function sendEarlyEvents() {
  const queue = pyodideWorker.queue
  pyodideWorker.queue = []
  if (pyodideWorker.jsdoc !== pyodideWorker.early && queue.length) {
    // The worker's app replaced the prerendered one (no saved start): its models are not Python's.
    console.warn(`${queue.length} changes made before the app was live could not be kept`)
    queue.length = 0
  }
  if (queue.length) {
    pyodideWorker.postMessage({type: 'patch', patch: pyodideWorker.jsdoc.create_json_patch(queue)})
  } else {
    pyodideWorker.busy = false
  }
}
