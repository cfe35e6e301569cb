// The site's service worker: after ONE visit the playground works with the network gone.
//
// On install it downloads every file of the site into a cache named after the build
// (the list below is written by build.py), so the page, BokehJS and Panel's scripts are
// cached too, not only what is requested after the worker takes over. Requests are
// answered from that cache first and from the network otherwise; the .wasm the other way round.
const PRECACHE = __PRECACHE__;
const CACHE_NAME = `playground-${PRECACHE.version}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE_NAME).then((cache) => cache.addAll(PRECACHE.files)))
  self.skipWaiting()
})

self.addEventListener('activate', (event) => {
  // Drop the caches of older builds, then control the page that installed us right away.
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE_NAME).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  )
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) {
    return
  }
  // The WebAssembly runtime goes through the browser's HTTP cache while online: the browser keeps the
  // code it compiled from it only for responses from that cache, and boots ~1.5 s sooner on a return
  // visit than with our copy (docs/site.md). Our copy answers when the network does not.
  if (new URL(request.url).pathname.endsWith('.wasm')) {
    event.respondWith(fetch(request).catch(() => caches.open(CACHE_NAME).then((cache) => cache.match(request))))
    return
  }
  // ignoreSearch: Panel asks for stylesheets with a ?v=<version> suffix.
  event.respondWith(
    caches.open(CACHE_NAME)
      .then((cache) => cache.match(request, {ignoreSearch: true}))
      .then((cached) => cached || fetch(request))
  )
})
