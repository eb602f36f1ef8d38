// Registers the service worker (sw.js, next to index.html) with the site's
// base URL as scope, so that the site works offline under a sub-path such as
// /stenogram/. A separate file rather than an inline script, which the
// Content-Security-Policy would block.
//
// `cargo xtask build` stamps the build version into BUILD (and into sw.js).
// Left unstamped, as in `trunk serve`, nothing is registered: a development
// server should never be shadowed by a cache.
(function () {
  const BUILD = '__STENOGRAM_BUILD__';
  if (BUILD.startsWith('__') || !('serviceWorker' in navigator)) return;
  const base = new URL('./', document.baseURI);
  const register = () =>
    navigator.serviceWorker
      .register(new URL('sw.js', base).href, { scope: base.href })
      .catch((err) => console.warn('Stenogram: offline mode unavailable:', err));
  if (document.readyState === 'complete') register();
  else addEventListener('load', register, { once: true });
})();
