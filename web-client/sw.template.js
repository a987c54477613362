/* Huddle service worker: caches the app shell so logging and forecasts work offline.
   Generated at build time from web-client/sw.template.js; never caches /api or /socket.io. */
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const CACHE = `huddle-shell-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('huddle-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

/** Adds to the shell cache only while it exists: after "erase everything" deleted it, nothing re-creates it. */
function remember(request, response) {
  caches.has(CACHE).then((exists) => (exists ? caches.open(CACHE).then((cache) => cache.put(request, response)) : undefined));
}

/** The page names the one wasm binary this device uses (never precached: a device needs one of the variants). */
self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'keep' || typeof data.url !== 'string') return;
  const url = new URL(data.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith('/assets/') || !url.pathname.endsWith('.wasm')) return;
  event.waitUntil(
    caches.has(CACHE).then((exists) =>
      exists ? caches.open(CACHE).then((cache) => cache.match(url.href).then((hit) => (hit ? undefined : cache.add(url.href)))) : undefined,
    ),
  );
});

/** A tap on a check-in reminder opens the app's log (focusing an open tab when there is one). */
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL('./#/log', self.registration.scope).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((list) => {
      const open = list.find((c) => c.url.startsWith(self.registration.scope));
      return open ? open.focus().then((c) => c && c.navigate(target)) : self.clients.openWindow(target);
    }),
  );
});

function isLive(url) {
  return url.pathname.startsWith('/api/') || url.pathname === '/api' || url.pathname.startsWith('/socket.io') || url.pathname === '/health';
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || isLive(url)) return;
  if (request.mode === 'navigate') {
    // Network first so a new version arrives when online; the cached shell when offline. The coach board is its own page.
    const shell = url.pathname.startsWith('/coach/') ? 'coach/index.html' : 'index.html';
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) remember(shell, response.clone());
          return response;
        })
        .catch(() => caches.match(shell, { ignoreSearch: true }).then((cached) => cached || Response.error())),
    );
    return;
  }
  // Hashed assets never change: cache first.
  event.respondWith(
    caches.match(request, { ignoreSearch: true }).then(
      (cached) =>
        cached ||
        fetch(request).then((response) => {
          if (response.ok && url.pathname.startsWith('/assets/')) remember(request, response.clone());
          return response;
        }),
    ),
  );
});
