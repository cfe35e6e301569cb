// Registers the service worker that keeps the whole site for offline use (see sw.js).
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch((error) => {
    console.warn('Offline use is not available:', error)
  })
}
