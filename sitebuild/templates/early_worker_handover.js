
// Added by sitebuild: the worker was started early by the page's head (templates/early_worker.html).
// What it says waits until the page is parsed (the loader that shows it is defined further down) and its
// prerendered app drawn, then goes to the handlers above, in order. Once the app is rendered, what the student typed or
// clicked before follows it to Python (sendEarlyEvents in templates/send_in_order.js).
{
  const handlers = {message: pyodideWorker.onmessage, error: pyodideWorker.onerror}
  const held = window.earlyWorker.held
  let ready = false
  // One message at a time, in the order the worker sent them: a render is drawn (a start from scratch
  // embeds its document, which takes a while) before the patches that follow it are applied.
  let previous = Promise.resolve()
  const onMessage = (event) => {
    previous = previous.then(async () => {
      await handlers.message(event)
      if (event.data.type === 'render') {
        sendEarlyEvents()
      }
    }).catch((error) => console.error('A message from the Python worker failed:', error))
  }
  // Until then the loader still shows the start's stage and download count as they come.
  pyodideWorker.onmessage = (event) => ready ? onMessage(event)
    : event.data.type === 'status' ? pyodideWorker.showStatus?.(event.data.msg) : held.push(["message", event])
  pyodideWorker.onerror = (event) => ready ? handlers.error(event) : held.push(["error", event])
  const deliver = async () => {
    // After the prerendered app is drawn (its own DOMContentLoaded listener comes after this one): a worker
    // that answers first then finds the page it will keep, and nothing typed into it is lost.
    await new Promise((resolve) => setTimeout(resolve))
    await window.prerendered?.catch(() => null)
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
