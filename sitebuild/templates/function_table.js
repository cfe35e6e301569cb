// The wasm function table laid out alike in every engine, which a saved start needs (saved_start.js): the
// saved memory holds function pointers, which are slots of that table.
//
// Emscripten finds the slot a module's function already has by identity, `table.get(i) === exports.f`,
// and gives every exported function it does not find there a new slot (addFunction, for the dynamic
// linker's GOT). V8 and SpiderMonkey hand out one JS object per wasm function, so the lookup finds the slot
// the module's element segment filled. JavaScriptCore (Safari, every iOS browser, WebKitGTK) hands out a
// new object from table.get: the lookup misses, ~1,150 exports take new slots (13,071 at Pyodide's start
// where Chromium has 11,917), and every pointer in a memory saved in Chromium then names another function
// ("call_indirect to a signature that does not match"). Both objects carry the function's index in the
// module as their name, and a slot set to the exported object itself gives back that very object: so,
// right after each module is instantiated and before emscripten looks, its slots are set again to its
// exported functions. The same function in the same slot: nothing changes but the identity emscripten
// compares. Where identity already holds (Chromium, Firefox) nothing is done.

// A tiny module (one table, its element segment [g, f], exports g, f and the table), hand-assembled.
const PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 3, 2, 0, 0, 4, 4, 1, 112, 0, 2, 7, 13, 3, 1, 103,
  0, 0, 1, 102, 0, 1, 1, 116, 1, 0, 9, 8, 1, 0, 65, 0, 11, 2, 0, 1, 10, 11, 2, 4, 0, 65, 42, 11, 4, 0, 65,
  7, 11])

// 'holds' (nothing to do), 'restorable' (identity comes back once the slot is set again: JavaScriptCore),
// or 'lost' (neither: a saved start's pointers cannot be trusted here).
export function tableIdentity() {
  try {
    const {g, f, t} = new WebAssembly.Instance(new WebAssembly.Module(PROBE)).exports
    if (t.get(0) === g && t.get(1) === f) { return 'holds' }
    if (t.get(1).name !== f.name || t.get(1)() !== 7) { return 'lost' }
    t.set(1, f)
    return t.get(1) === f ? 'restorable' : 'lost'
  } catch (e) {
    return 'lost'
  }
}

// Sets the slots a module's element segments filled, from `base` on, to its exported functions.
function restoreIdentity(table, base, exports) {
  const byName = new Map()
  for (const value of Object.values(exports)) {
    if (typeof value === 'function') { byName.set(value.name, value) }
  }
  for (let i = base; i < table.length; i++) {
    const entry = table.get(i)
    const exported = entry && byName.get(entry.name)
    if (exported && entry !== exported) { table.set(i, exported) }
  }
}

// What the last instantiated Pyodide runtime (the main module) uses: its table and memory.
export const runtime = {table: null, memory: null}

function instantiated(imports, instance) {
  const env = imports?.env
  const table = env?.__indirect_function_table
  if (!(table instanceof WebAssembly.Table)) { return }
  const base = env.__table_base
  // The main module: its table base is a global; each library's, a number emscripten's linker gives.
  const isMain = base instanceof WebAssembly.Global
  if (isMain) {
    runtime.table = table
    runtime.memory = env.memory
  }
  if (identity === 'restorable') {
    restoreIdentity(table, isMain ? 0 : base, instance.exports)
  }
}

let identity = null

// Installs the fix above for every module instantiated from now on (where it is needed), and records
// the runtime's table and memory; returns tableIdentity().
export function watchInstantiation() {
  if (identity !== null) { return identity }
  identity = tableIdentity()
  const {instantiate, instantiateStreaming} = WebAssembly
  const after = (imports) => (result) => {
    instantiated(imports, result.instance || result)
    return result
  }
  WebAssembly.instantiate = (source, imports) => instantiate(source, imports).then(after(imports))
  if (instantiateStreaming) {
    WebAssembly.instantiateStreaming = (source, imports) => instantiateStreaming(source, imports).then(after(imports))
  }
  return identity
}
