
// Added by sitebuild: the worker was started early by the page's head (templates/early_worker.html).
// What it says waits until the page is parsed (the loader that shows it is defined further down),
// then goes to the handlers above, in order.
{
  const handlers = {message: pyodideWorker.onmessage, error: pyodideWorker.onerror}
  const held = window.earlyWorker.held
  let ready = false
  pyodideWorker.onmessage = (event) => ready ? handlers.message(event) : held.push(["message", event])
  pyodideWorker.onerror = (event) => ready ? handlers.error(event) : held.push(["error", event])
  const deliver = () => {
    ready = true
    for (const [kind, event] of held.splice(0)) {
      handlers[kind](event)
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", deliver, {once: true})
  } else {
    deliver()
  }
}
