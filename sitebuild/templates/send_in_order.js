// Replaces send_change in Panel's page script (sitebuild/convert.py puts it there). Panel's own
// version holds value changes while Python is busy but sends clicks and other messages at once,
// so a click could reach Python before the text typed just before it. Here every event waits
// its turn in one queue. A value changed again replaces its pending change only when no other
// event came between them, so a dragged slider still sends one change, not hundreds.
function send_change(jsdoc, event) {
  if ((event.setter_id != null && event.setter_id == 'py') || (patching > 0)) {
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
