// Shared set-up for the browser tests (`tests/browser/*.test.mjs`, run by
// `cargo xtask test` with node's test runner).
//
// The browser is Debian's Chromium at /usr/bin/chromium, driven by
// playwright-core, which never downloads a browser of its own. The site under
// test is a release build served under /stenogram/ (as on GitHub Pages); its
// URL comes from STENOGRAM_BASE_URL, which `cargo xtask test` sets.

import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Launches headless Chromium. Close it in an `after` hook. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** The site's base URL, ending in `/` (e.g. `http://127.0.0.1:PORT/stenogram/`). */
export function baseUrl() {
  const url = process.env.STENOGRAM_BASE_URL;
  if (!url) {
    throw new Error(
      'STENOGRAM_BASE_URL is not set: run the browser tests with `cargo xtask test`, ' +
        'or serve a build yourself (node tests/browser/server.mjs --root DIST) and set it',
    );
  }
  return url.endsWith('/') ? url : `${url}/`;
}
