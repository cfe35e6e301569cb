// The page's Python worker: Panel 1.10.0's worker template (recorded as it is in
// templates/panel-1.10.0/pyodide_worker.js; tests/site/test_templates.py diffs it against the
// installed Panel's) made whole with our start. Panel's converter renders it with the app's `code`;
// sitebuild/convert.py binds `packages`. Our changes to Panel's are marked `sitebuild:`.
// - Start (ours, replaces Panel's startApplication): Pyodide comes from this site (./pyodide/), every
//   package is loaded in one parallel loadPackage call from the served pyodide-lock.json (no micropip,
//   no request to PyPI), or the start saved at build time is restored (saved-start.js); the page is
//   told each loading stage, and failures are reported in words a visitor can act on.
// - Message protocol (Panel's, below startApplication): one change, marked.
import { loadPyodide } from "./pyodide/pyodide.mjs";
import { savedStart, sri } from "./saved-start.js";
import { handOver } from "./snapshot-files.js";
// Every module of the worker named here, so the browser fetches them all at once rather than level by level
// as each one's imports are read: a worker's fetches go through the page's main thread in WebKit, which is
// busy for seconds drawing the prerendered app, and the third level (unzstd.js) came ~4 s late there.
import "./function-table.js";
import "./later-files.js";
import "./snapshot-files.js";
import "./unzstd.js";

const PACKAGES = {{ packages }};
// Relative, like the page's own URLs: the page resolves what the worker's models name against
// itself, and the start saved at build time (on another origin) stays true.
const PANEL_CDN_ROOT = "./panel/";

const KEEP_AFTER_MS = 4000   // when a downloaded start is kept on the device for the next visit
// The files no first answer needs (later_files.js) are fetched once the page has sent nothing for this
// long: never while a student is busy with it (an import that needs them earlier fetches them itself).
const LATER_WHEN_QUIET_MS = 2000
let pageSpoke = () => {}
// The page says when it first painted, or when its own HTML and CSS are in (templates/early_worker.html,
// templates/page.html), whichever comes first; a start that downloads waits for it, PAINT_WAIT_MS at most
// (a page that never says so: e.g. a tab opened in the background).
const PAINT_WAIT_MS = 3000
const pagePainted = new Promise((resolve) => {
  self.addEventListener('message', (event) => event.data?.type === 'painted' && resolve())
  setTimeout(resolve, PAINT_WAIT_MS)
})
// The page's address, posted from its head (templates/early_worker.html): opened once the app is up.
let earlyLocation = null
self.addEventListener('message', (event) => {
  if (event.data?.type === 'early-location') { earlyLocation = event.data.location }
})
let stage = 'Loading the Python runtime'
let failed = false

function status(msg) {
  self.postMessage({type: 'status', msg: msg})
}

function fail(error) {
  console.error(error)
  if (failed) { return }
  failed = true
  const lines = `${error}`.trim().split('\n')
  self.postMessage({type: 'error', msg: `${stage} failed: ${lines[lines.length - 1]} Reload the page to try again.`})
}

// Pyodide does not report every failed download (without pyodide.asm.wasm it waits forever),
// so each download the worker makes is checked here and a failure is reported at once.
// A download started early (prefetchPackages) is handed over instead of being made again.
const siteFetch = self.fetch.bind(self)
const prefetched = new Map()
self.fetch = async (resource, options) => {
  const url = new URL(resource.url || resource, self.location)
  const name = url.pathname.split('/').pop()
  const early = prefetched.get(url.href)
  prefetched.delete(url.href)
  let response
  try {
    response = await (early || siteFetch(resource, options))
  } catch (e) {
    fail(`${name} could not be downloaded (${e.message}).`)
    throw e
  }
  if (!response.ok) {
    fail(`${name} could not be downloaded (HTTP ${response.status}).`)
  } else if (name.endsWith('.wasm')) {
    handOver(url.href, response)   // the runtime's 10 MB: for the service worker (snapshot_files.js)
  }
  return response
}

// The wheels download while the runtime starts, instead of after it: Pyodide's loadPackage
// then finds them under way or done. Each is checked against its sha256 from the served lock.
async function prefetchPackages() {
  const lockUrl = new URL('./pyodide/pyodide-lock.json', self.location).href
  const lockResponse = siteFetch(lockUrl)
  prefetched.set(lockUrl, lockResponse)
  const lock = await (await lockResponse).clone().json()
  for (const name of PACKAGES) {
    const entry = lock.packages[name]
    const url = new URL(`./pyodide/${entry.file_name}`, self.location).href
    const download = siteFetch(url, {integrity: sri(entry.sha256)})
    download.catch(() => {})   // reported when loadPackage takes it over, not as an unhandled rejection
    prefetched.set(url, download)
  }
}

// sitebuild: Panel's protocol in Python, defined once with the app (a saved start has it compiled).
// Panel's worker runs a snippet of Python source per message from the page (parsed and compiled each
// time: ~9 ms in Pyodide), and serializes and posts each change of a model on its own: Bokeh's
// serializer walks every model of the document each time (~5 ms in Pyodide, ~3 times per training
// frame, ~10 times per answer). Here the changes Python makes are held and go to the page as one patch,
// serialized once: when Python is done with the message it answers (sendHeldPatches, called before the
// worker says it is idle), or, for changes made outside one (the training view's ticks), in the
// worker's next task. link() is Panel 1.10.0's _link_docs_worker (panel/io/pyodide.py) with that one
// change; tests/site/test_templates.py diffs Panel's against the copy recorded in templates/panel-1.10.0/.
const PROTOCOL = `
def _sitebuild_protocol():
    import functools
    import json
    import types

    from bokeh.events import DocumentReady
    from panel.io.pyodide import _convert_json_patch, _dict_converter, _process_document_events
    from panel.io.state import state
    from panel.util import edit_readonly

    held = []

    def link(schedule_send):
        doc = state.curdoc

        def hold(event):
            if getattr(event, "setter", None) == "js":
                return
            if not held:
                schedule_send()
            held.append(event)

        doc.on_change(hold)
        doc.unhold()
        doc.on_event("document_ready", functools.partial(state._schedule_on_load, doc))
        doc.callbacks.trigger_event(DocumentReady())

    def take_patch():
        """The changes held so far as one patch, [patch, buffers] for postMessage; None if none."""
        if not held:
            return None
        import js
        import pyodide.ffi

        events = list(held)
        held.clear()
        patch, buffers = _process_document_events(state.curdoc, events)
        return js.Array.of(pyodide.ffi.to_js(patch, dict_converter=_dict_converter),
                           js.Map.new(js.Object.entries(pyodide.ffi.to_js(buffers))))

    def apply_patch(patch):
        state.curdoc.apply_json_patch(_convert_json_patch(patch), setter="js")

    def set_location(location):
        if state.location:
            loc_data = json.loads(location)
            with edit_readonly(state.location):
                state.location.param.update({
                    k: v for k, v in loc_data.items() if k in state.location.param
                })

    return types.SimpleNamespace(link=link, take_patch=take_patch, apply_patch=apply_patch,
                                 set_location=set_location)

_sitebuild_protocol = _sitebuild_protocol()
`
let protocol = null   // the namespace above, once the app is up

function sendHeldPatches() {
  let taken
  try {
    taken = protocol?.take_patch()   // the held changes are dropped even if serializing them fails
  } catch (e) {
    console.error('Python\'s changes could not be sent to the page:', e)   // the caller still says "idle"
  }
  if (taken) {
    const [patch, buffers] = taken
    self.postMessage({type: 'patch', patch: patch, buffers: buffers})
  }
}

// Panel >= 1.8 compares values with pyodide.ffi.jsnull, which Pyodide 0.27 lacks; 0.27
// already turns JS null into None, so a sentinel that matches nothing keeps Panel's logic.
const JSNULL_SHIM = `
import pyodide.ffi
if not hasattr(pyodide.ffi, "jsnull"):
    pyodide.ffi.jsnull = type("JsNullShim", (), {})()
`

// panel.io.pyodide imports pandas only to patch pandas.read_csv and read_json for URLs. This app
// never uses pandas, so the site may leave it out (build.py's "no-pandas"): then Panel gets a
// stand-in while it imports, and nothing else sees a pandas module.
const PANDAS_STANDIN = `
import importlib.machinery, importlib.util, sys, types
if importlib.util.find_spec("pandas") is None:
    def _not_shipped(*args, **kwargs):
        raise ModuleNotFoundError("pandas is not part of this site")
    _standin = types.ModuleType("pandas")
    _standin.__spec__ = importlib.machinery.ModuleSpec("pandas", None)
    _standin.read_csv = _standin.read_json = _not_shipped
    sys.modules["pandas"] = _standin
    try:
        import panel   # imports panel.io.pyodide, the one module that asks for pandas
    finally:
        del sys.modules["pandas"]
`

// Starting the app makes hundreds of thousands of objects (modules, Panel and Bokeh models) that
// live as long as the page. The cycle collector would walk them again and again while they are
// made, and on every later collection: it pauses while the app starts, and then everything made
// so far is frozen (gc.freeze: left out of all later collections).
const GC_PAUSE = `
import gc
gc.disable()
`
const GC_RESUME = `
import gc
gc.freeze()
gc.enable()
`

// Panel holds the document while the app builds it and replays the held events once the
// page has rendered. The page already has that state (docs_json is serialized after those
// events), and with a template the replay names models the page never received
// ("reference ... isn't known"), so the held events are dropped before rendering.
const DROP_HELD_EVENTS = `
from panel.io.state import state
state.curdoc.callbacks._held_events.clear()
`

// The build runs this worker once with ?make-snapshot to make the start every visitor restores
// (sitebuild/snapshot.py); then the snapshot maker's own module is served beside it.
const MAKING_SNAPSHOT = new URL(self.location.href).searchParams.has('make-snapshot')

async function startFromScratch() {
  stage = 'Loading the Python runtime'
  status('Loading the Python runtime…')
  prefetchPackages().catch(() => {})   // a failure shows up when loadPackage asks for the file
  const maker = MAKING_SNAPSHOT ? await import('./make-snapshot.js') : null
  // The env makes stylesheet URLs that Panel builds in the worker point into this site. The saved start
  // fixes one hash seed for every visitor anyway: the maker fixes it to 0, so that a build makes the
  // same memory each time (set and dict layouts follow string hashes).
  const env = {PANEL_CDN_ROOT: PANEL_CDN_ROOT, ...(maker ? {PYTHONHASHSEED: '0'} : {})}
  const pyodide = await loadPyodide({env: env, _makeSnapshot: Boolean(maker)})
  const dynlibs = maker?.recordDynlibs(pyodide)
  stage = 'Loading the Python packages'
  status(`Loading ${PACKAGES.length} Python packages…`)
  await pyodide.loadPackage(PACKAGES, {messageCallback: () => {}, errorCallback: (msg) => console.warn(msg)})
  pyodide.runPython(JSNULL_SHIM)
  stage = 'Starting the app'
  status('Starting the app…')
  pyodide.runPython(GC_PAUSE)
  pyodide.runPython(PANDAS_STANDIN)
  self.pyodide = pyodide   // the app's code below runs with self.pyodide
  // The three strings come over as copies; the tuple's proxy is let go, or Python keeps it (and the
  // saved start keeps its 0.25 MB document forever).
  const rendered = await pyodide.runPythonAsync(`{{ code }}`)
  const [docs_json, render_items, root_ids] = rendered.toJs()
  rendered.destroy()
  let render = {type: 'render', docs_json: docs_json, render_items: render_items, root_ids: root_ids}
  if (maker) { render = await maker.warmUp(pyodide) }
  pyodide.runPython(DROP_HELD_EVENTS)
  pyodide.runPython(PROTOCOL)
  pyodide.runPython(GC_RESUME)
  if (maker) {
    const made = maker.snapshotMessage(pyodide, dynlibs, render)
    self.postMessage(made, [made.memory.buffer, made.files.buffer, made.later.buffer])
    return null
  }
  return [pyodide, render, null]
}

// sitebuild: replaces Panel's startApplication (which boots Pyodide, micropip-installs the
// requirements and runs the app's code): the start saved at build time, else from scratch.
async function startApplication() {
  let started
  try {
    if (!MAKING_SNAPSHOT) {
      started = await savedStart(loadPyodide, {PANEL_CDN_ROOT: PANEL_CDN_ROOT}, status, pagePainted)
    }
    started ||= await startFromScratch()
  } catch (e) {
    return fail(e)
  }
  if (started === null) { return }   // the snapshot went to the build
  const [pyodide, render, keep, fetchLater] = started
  self.pyodide = pyodide
  protocol = pyodide.globals.get('_sitebuild_protocol')
  self.postMessage(render)
  // sitebuild: a link or the document kept on the device is opened now, while the page still draws, not
  // after Panel's page script sends the address once the render is on the page. The document stays held
  // until it is linked to the page: what opening changed then goes to the page as one patch.
  if (earlyLocation !== null) {
    try {
      protocol.set_location(earlyLocation)
    } catch (e) {
      console.error('The address could not be opened:', e)
    }
  }
  // sitebuild: linked at once, not when the page says 'rendered' (Panel's page script still says it; nothing
  // waits for it): the page takes the worker's messages in order (templates/early_worker_handover.js), so the
  // render is on the page before any patch, and what opening the address changed reaches it right behind the
  // render instead of a round trip later. The protocol's functions are compiled once (PROTOCOL above).
  protocol.link(() => setTimeout(sendHeldPatches))
  if (keep) {   // not during the start: once the app is up and the visitor busy with it
    setTimeout(() => keep().catch((e) => console.warn('The start could not be kept for the next visit:', e)),
               KEEP_AFTER_MS)
  }
  // The page hears when they are in, by either way (or failed to come): its service worker waits for that.
  const laterIn = () => self.postMessage({type: 'later'})
  if (fetchLater) {
    fetchLater.placed.then(laterIn).then(idleWork)
    const later = () => fetchLater().catch((e) => {
      console.warn("Python's later files could not be fetched:", e)
      laterIn()
    })
    let timer = null
    pageSpoke = () => {
      clearTimeout(timer)
      timer = setTimeout(() => { pageSpoke = () => {}; later() }, LATER_WHEN_QUIET_MS)
    }
    pageSpoke()
  } else {
    laterIn()   // a start from scratch has them all
  }
}

// What the page will need soon (the training view), built in small pieces once the page is quiet and the later
// files are in (playground/idle.py): the page's messages go between two pieces.
function idleWork() {
  const idle = self.pyodide.pyimport('playground.idle')
  idle.run()
  idle.destroy()
}

// Panel 1.10.0's message protocol (pyodide_worker.js from `self.onmessage` on), unchanged but for
// the places marked.
self.onmessage = async (event) => {
  const msg = event.data
  pageSpoke()   // sitebuild: the later files wait for a quiet page (LATER_WHEN_QUIET_MS)
  if (msg.type === 'patch') {   // sitebuild: 'rendered' links nothing: linked with the render (startApplication)
    try {
      protocol.apply_patch(msg.patch)
    } finally {
      // sitebuild: Panel says "idle" after the try, so a callback that raised left the page waiting
      // forever, holding every later event (send_in_order.js holds clicks too). Say it anyway, after
      // what Python changed meanwhile went as one patch.
      sendHeldPatches()
      self.postMessage({type: 'idle'})
    }
  } else if (msg.type === 'action') {
    // sitebuild: a click the page also posts straight here, so that it does not wait behind the patches
    // queued before it (playground/fast_lane.py says which and why); its changes go in the next task.
    const lane = self.pyodide?.pyimport('playground.fast_lane')
    lane?.run(String(msg.name))
    lane?.destroy()
  } else if (msg.type === 'location') {
    protocol.set_location(msg.location)   // the address opened at the start changes nothing here
  }
}

startApplication()
