// Registers the service worker that keeps the site for offline use (see sw.js), a few seconds after
// the app is up: copying the start's files (~40 MB, from the browser's HTTP cache: nothing is
// downloaded again) would otherwise compete with the app's start and the student's first clicks
// for the two or four cores of a school laptop (measured: the first answer 1 s later). Once it runs,
// it is told which files the page fetched before it did (Panel's stylesheets), to keep them too.
(function () {
  if (!('serviceWorker' in navigator)) { return }
  function register() {
    navigator.serviceWorker.register('./sw.js').then(() => navigator.serviceWorker.ready).then((registration) => {
      const fetched = performance.getEntriesByType('resource').map((entry) => entry.name)
      registration.active.postMessage({keep: fetched})
    }).catch((error) => {
      console.warn('Offline use is not available:', error)
    })
  }
  const AFTER_THE_START_MS = 5000
  function afterTheStart() { setTimeout(register, AFTER_THE_START_MS) }
  // The page script (sitebuild/templates/page.js) says when the worker's app is on the page: it sets
  // window.playgroundUp and sends 'playground-up' (this deferred script may run before or after that).
  if (window.playgroundUp) {
    afterTheStart()
  } else {
    window.addEventListener('playground-up', afterTheStart, {once: true})
  }
})()
