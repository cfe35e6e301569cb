// Registers the service worker that keeps the whole site for offline use (see sw.js), a few
// seconds after the app is up: installing it downloads every file of the site (~50 MB), which
// would otherwise compete with the app's start and with the student's first clicks for the
// network and the two or four cores of a school laptop (measured: the first answer 1 s later).
(function () {
  if (!('serviceWorker' in navigator)) { return }
  function register() {
    navigator.serviceWorker.register('./sw.js').catch((error) => {
      console.warn('Offline use is not available:', error)
    })
  }
  function appIsUp() {   // Panel's loader is hidden once the worker's app is on the page
    const loader = document.getElementById('loader')
    return loader !== null && loader.style.display === 'none'
  }
  const AFTER_THE_START_MS = 5000
  const poll = setInterval(() => {
    if (appIsUp()) {
      clearInterval(poll)
      setTimeout(register, AFTER_THE_START_MS)
    }
  }, 250)
})()
