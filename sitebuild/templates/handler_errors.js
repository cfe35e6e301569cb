
// Added by sitebuild: a worker that cannot even start (its script or Pyodide failed to
// load, e.g. offline on a first visit) reports it instead of leaving the spinner running.
pyodideWorker.onerror = (event) => {
  const reason = event.message || 'its script could not be loaded'
  window.panelLoader?.error(`The Python worker could not start: ${reason}. Reload the page to try again.`)
}
