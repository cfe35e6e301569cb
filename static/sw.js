// The site's service worker: after ONE visit the playground works with the network gone, and no
// file is downloaded twice for it.
//
// It is registered after the page's start (register-sw.js), so everything the start needed is in
// the browser's HTTP cache by then. On install it copies the start's files (PRECACHE.start, written
// by build.py: the page, what the page references, the worker, Pyodide's core and the saved start)
// into a cache named after the build, asking the HTTP cache first (`force-cache`) and checking each
// copy against the build's sha256 (subresource integrity), so a copy left by an older build is
// fetched again instead of kept. Once it runs, the page tells it what else it fetched before
// (stylesheets Panel's models asked for); those are copied the same way. Any other file of the
// site (the wheels only a start from scratch needs, Panel's files the page has not asked for yet)
// is downloaded only when the page asks for it, and kept then. Requests are answered from the
// cache first and from the network otherwise; the .wasm the other way round.
const PRECACHE = __PRECACHE__;
const CACHE_NAME = `playground-${PRECACHE.version}`;
const SCOPE = new URL('./', self.location).href

// The site's file a URL names ('./' for the page), or null for anything else.
function siteFile(url) {
  const parsed = new URL(url, self.location)
  if (parsed.origin !== self.location.origin || !parsed.href.startsWith(SCOPE)) { return null }
  const name = './' + decodeURIComponent(parsed.pathname.slice(new URL(SCOPE).pathname.length))
  return name in PRECACHE.files ? name : null
}

function integrity(name) {
  const hex = PRECACHE.files[name]
  return `sha256-${btoa(String.fromCharCode(...hex.match(/../g).map((byte) => parseInt(byte, 16))))}`
}

// What the page's Python worker downloaded on this first visit (templates/snapshot_files.js, handOver): used
// when it is this build's copy. A private window keeps big files out of the HTTP cache that keep() reads.
const HANDOVER_CACHE = 'playground-handover'

async function sha256hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

async function handedOver(name) {
  try {
    const response = await (await caches.open(HANDOVER_CACHE)).match(name)
    if (!response) { return null }
    const bytes = await response.arrayBuffer()
    return await sha256hex(bytes) === PRECACHE.files[name] ? new Response(bytes, {headers: response.headers}) : null
  } catch (e) {
    return null   // cut short or unreadable: fetched below
  }
}

// One file into the cache: what the page handed over, the browser's HTTP cache when it holds this build's
// copy, else the network.
async function keep(cache, name) {
  if (await cache.match(name)) { return }
  const handed = await handedOver(name)
  if (handed) {
    await cache.put(name, handed)
    return
  }
  let response
  try {
    response = await fetch(name, {cache: 'force-cache', integrity: integrity(name)})
  } catch (e) {   // not cached, or an older build's copy: from the network, checked the same way
    response = await fetch(name, {cache: 'no-cache', integrity: integrity(name)})
  }
  if (!response.ok) { throw new Error(`${name}: HTTP ${response.status}`) }
  await cache.put(name, response)
}

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE_NAME).then((cache) => Promise.all(PRECACHE.start.map((name) => keep(cache, name)))))
  self.skipWaiting()
})

self.addEventListener('activate', (event) => {
  // Drop the caches of older builds and what the page handed over, then control the page that installed us
  // right away.
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE_NAME).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  )
})

// {keep: [url, ...]} from the page (register-sw.js): what it fetched before we controlled it.
self.addEventListener('message', (event) => {
  const names = [...new Set((event.data?.keep || []).map(siteFile).filter((name) => name !== null))]
  event.waitUntil(caches.open(CACHE_NAME).then((cache) =>
    Promise.all(names.map((name) => keep(cache, name).catch((e) => console.warn('Not kept for offline use:', e))))))
})

// From the network as the page asked, and kept when it is this build's copy of a site file.
async function fetchAndKeep(request, name) {
  const response = await fetch(request)
  if (name !== null && response.ok && response.type === 'basic') {
    const copy = response.clone()
    copy.arrayBuffer().then(async (bytes) => {
      if (await sha256hex(bytes) === PRECACHE.files[name]) {
        await (await caches.open(CACHE_NAME)).put(name, new Response(bytes, {headers: copy.headers}))
      }
    }).catch(() => {})
  }
  return response
}

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
  const name = siteFile(request.url)
  event.respondWith(
    caches.open(CACHE_NAME)
      .then((cache) => cache.match(name || request, {ignoreSearch: true}))
      .then((cached) => cached || fetchAndKeep(request, name))
  )
})
