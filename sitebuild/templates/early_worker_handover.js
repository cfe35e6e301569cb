
// Added by sitebuild: the worker was started early by the page's head (templates/early_worker.html);
// now that its handlers are set, pass on what it said meanwhile, in order.
for (const [kind, event] of window.earlyWorker.held.splice(0)) {
  kind === "message" ? pyodideWorker.onmessage(event) : pyodideWorker.onerror(event)
}
