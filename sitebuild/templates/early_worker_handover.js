
// Added by sitebuild: the worker was started early by the page's head (templates/early_worker.html).
// What it says waits until the page is parsed (the loader that shows it is defined further down),
// then goes to the handlers above, in order. Once the app is rendered, what the student typed or
// clicked before follows it to Python (sendEarlyEvents in templates/send_in_order.js).
{
  const handlers = {message: pyodideWorker.onmessage, error: pyodideWorker.onerror}
  const held = window.earlyWorker.held
  let ready = false
  const onMessage = async (event) => {
    await handlers.message(event)
    if (event.data.type === 'render') {
      sendEarlyEvents()
    }
  }
  pyodideWorker.onmessage = (event) => ready ? onMessage(event) : held.push(["message", event])
  pyodideWorker.onerror = (event) => ready ? handlers.error(event) : held.push(["error", event])
  const deliver = () => {
    ready = true
    for (const [kind, event] of held.splice(0)) {
      kind === "message" ? onMessage(event) : handlers.error(event)
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", deliver, {once: true})
  } else {
    deliver()
  }
}
