// Registers the service worker that keeps the site for offline use (see sw.js), a few seconds after
// the app is up: copying the start's files (~40 MB, from the browser's HTTP cache: nothing is
// downloaded again) would otherwise compete with the app's start and the student's first clicks
// for the two or four cores of a school laptop (measured: the first answer 1 s later). Once it runs,
// it is told which files the page fetched before it did (Panel's stylesheets), to keep them too.
(function () {
  // An opaque origin (a frame sandboxed without allow-same-origin) has no service worker: reading it throws.
  if (self.origin === 'null' || !('serviceWorker' in navigator)) { return }
  function register() {
    navigator.serviceWorker.register('./sw.js').then(() => navigator.serviceWorker.ready).then((registration) => {
      const fetched = performance.getEntriesByType('resource').map((entry) => entry.name)
      registration.active.postMessage({keep: fetched})
    }).catch((error) => {
      // Firefox's private windows have no service worker (the page works the same, online)
      console.info('Offline use is not available here:', error.message)
    })
  }
  const AFTER_THE_START_MS = 5000
  // The page script (sitebuild/templates/page.js) says when the worker's app is on the page
  // ('playground-up', window.playgroundUp) and when the files Python fetches after its first answer are
  // in ('playground-later', window.playgroundLater: templates/later_files.js): registered only after
  // both, or on a slow link it would download those again while the worker still does (this deferred
  // script may run before or after either).
  const happened = (flag, name) => new Promise((resolve) => {
    if (window[flag]) { resolve() } else { window.addEventListener(name, resolve, {once: true}) }
  })
  happened('playgroundUp', 'playground-up')
    .then(() => new Promise((resolve) => setTimeout(resolve, AFTER_THE_START_MS)))
    .then(() => happened('playgroundLater', 'playground-later'))
    .then(register)
})()
