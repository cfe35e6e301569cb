// The page's script: Panel 1.10.0's page script for a worker app (recorded as it is in
// templates/panel-1.10.0/pyodide_handler.js; tests/site/test_templates.py diffs it against the
// installed Panel's) with our changes marked `sitebuild:`. Panel's converter renders it (`name`: the
// app's name) into the page; sitebuild/convert.py makes it the template Panel uses.

// sitebuild: the worker was started first thing in <head> (templates/early_worker.html); where the
// browser refused to start it (a sandboxed iframe without allow-same-origin: templates/page.html
// says so), a stand-in that goes nowhere lets the page draw what it prerendered.
const pyodideWorker = window.earlyWorker ||= {held: [], refused: true, postMessage() {}}
pyodideWorker.busy = false
pyodideWorker.queue = []

let patching = 0

// sitebuild: Panel's send_change replaced by ours (events reach Python in the order they happened).
{% include "send_in_order.js" %}

pyodideWorker.onmessage = async (event) => {
  const msg = event.data

  if (msg.type === 'idle') {
    if (pyodideWorker.queue.length) {
      const patch = pyodideWorker.jsdoc.create_json_patch(pyodideWorker.queue)
      pyodideWorker.busy = true
      pyodideWorker.queue = []
      pyodideWorker.postMessage({type: 'patch', patch: patch})
    } else {
      pyodideWorker.busy = false
    }
  } else if (msg.type === 'status') {
    window.panelLoader?.status(msg.msg)
  } else if (msg.type === 'error') {
    window.panelLoader?.error(msg.msg)
  } else if (msg.type === 'render') {
    // sitebuild: a render restored from the saved start names the page's own copy of its document
    // (as text: Bokeh reads it as it reads the prerendered one); only a redraw below needs it.
    const docs_json = msg.docs_json === null ? document.getElementById(msg.docs_in_page).textContent : JSON.parse(msg.docs_json)
    const render_items = JSON.parse(msg.render_items)
    const root_ids = JSON.parse(msg.root_ids)

    // sitebuild: the page prerendered the worker's own first render when the build saved a start
    // (sitebuild/snapshot.py); drawing it again would only cost the page half a second. The views
    // drawn first are in window.prerendered (templates/prerender_items.js): kept when their roots
    // are the worker's, else (a worker that started from scratch) Panel's redraw below.
    const shown = await window.prerendered?.catch(() => null)
    let views = shown && shown[0]
    if (!views || ![...views.roots.values()].some((view) => view.model.id === root_ids[0])) {
    // Remap roots in message to element IDs
    const root_els = document.querySelectorAll('[data-root-id]')
    const data_roots = []
    for (const el of root_els) {
       el.innerHTML = ''
       data_roots.push([el.getAttribute('data-root-id'), el.id])
    }
    data_roots.sort((a, b) => a[0]<b[0] ? -1: 1)
    const roots = {}
    for (let i=0; i<data_roots.length; i++) {
      roots[root_ids[i]] = data_roots[i][1]
    }
    render_items[0]['roots'] = roots
    render_items[0]['root_ids'] = root_ids

    // Clear pre-rendered contents
    Bokeh.index.roots.map((v) => v.remove())

    // Embed content
    ;[views] = await Bokeh.embed.embed_items(docs_json, render_items)   // sitebuild: `let views` above
    }

    window.panelLoader?.hide()
    // sitebuild: the app is on the page; static/register-sw.js waits for this (not for Panel's #loader)
    window.playgroundUp = true
    window.dispatchEvent(new Event('playground-up'))

    // Setup bi-directional syncing
    pyodideWorker.jsdoc = jsdoc = [...views.roots.values()][0].model.document
    jsdoc.on_change(send_change.bind(null, jsdoc), false)
    pyodideWorker.postMessage({'type': 'rendered'})
    pyodideWorker.postMessage({'type': 'location', location: JSON.stringify(window.location)})
  } else if (msg.type === 'later') {
    // sitebuild: Python's files that come after the first answer are in (static/register-sw.js waits)
    window.playgroundLater = true
    window.dispatchEvent(new Event('playground-later'))
  } else if (msg.type === 'patch') {
    try {
      patching += 1
      pyodideWorker.jsdoc.apply_json_patch(msg.patch, msg.buffers)
    } finally {
      patching -= 1
    }
  }
};

// sitebuild: a worker that cannot start is reported (templates/handler_errors.js), and what the early
// worker said before this script listened is handed over (templates/early_worker_handover.js).
{% include "handler_errors.js" %}
{% include "early_worker_handover.js" %}
// sitebuild: the prerendered document follows this script
