/* The farmers' page offline (issue 16): the page and its library come from the cache first (they change only with a
   new gateway build), the public data from the network first with the last answer kept, so on a weak 3G link or with
   no signal at the canal the page still opens and shows the last readings, alerts and safe-intake hours — the
   "connection lost" banner says they are not live. */
var SHELL = 'es-shell-v4', DATA = 'es-data-v1'; // bump SHELL whenever a file in ASSETS changes: phones keep the old one otherwise
var ASSETS = ['./', 'index.html', 'app.js', 'app.css', 'lib/uPlot.iife.min.js', 'lib/uPlot.min.css'];

self.addEventListener('install', function (e) {
  e.waitUntil(caches.open(SHELL).then(function (c) {
    return Promise.all(ASSETS.map(function (a) { return c.add(a).catch(function () { /* the fallback chart needs no lib */ }); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== SHELL && k !== DATA; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (e) {
  var url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== self.location.origin) { return; }
  if (url.pathname === '/api/public/live') { return; } /* the live stream is never cached */
  if (url.pathname.indexOf('/api/public/') === 0) {
    e.respondWith(fetch(e.request).then(function (r) {
      if (r.ok) { var copy = r.clone(); caches.open(DATA).then(function (c) { c.put(e.request, copy); }); }
      return r;
    }).catch(function () {
      return caches.match(e.request).then(function (m) { return m || new Response('[]', { status: 503, headers: { 'Content-Type': 'application/json' } }); });
    }));
    return;
  }
  if (url.pathname.indexOf('/api/') === 0 || url.pathname === '/health' || url.pathname === '/metrics') { return; }
  e.respondWith(caches.match(e.request).then(function (m) {
    var net = fetch(e.request).then(function (r) {
      if (r.ok) { var copy = r.clone(); caches.open(SHELL).then(function (c) { c.put(e.request, copy); }); }
      return r;
    });
    return m || net;
  }));
});
