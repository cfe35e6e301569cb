// Registers the service worker that keeps the whole site for offline use (see sw.js), once the
// app is up: installing it downloads every file of the site (~28 MB), which would otherwise
// compete with the app's own start for the network and the two or four cores of a school laptop.
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
  const poll = setInterval(() => {
    if (appIsUp()) {
      clearInterval(poll)
      register()
    }
  }, 250)
})()
