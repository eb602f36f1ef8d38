// Shared set-up for the browser tests (`tests/browser/*.test.mjs`, run by
// `cargo xtask test` with node's test runner).
//
// The browser is Debian's Chromium at /usr/bin/chromium, driven by
// playwright-core, which never downloads a browser of its own. The site under
// test is a release build served under /stenogram/ (as on GitHub Pages); its
// URL comes from STENOGRAM_BASE_URL, which `cargo xtask test` sets, and its
// folder from STENOGRAM_SITE_DIR.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Launches headless Chromium. Close it in an `after` hook.
 *
 * The site registers a service worker (offline mode). Its pages' requests
 * then go through the worker, which `page.route` cannot intercept, so the
 * browser's `newPage`/`newContext` block service workers unless a test asks
 * for them with `{ serviceWorkers: 'allow' }` (csp and offline tests do).
 */
export async function launchBrowser() {
  const browser = await chromium.launch({
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
  const newContext = browser.newContext.bind(browser);
  const newPage = browser.newPage.bind(browser);
  browser.newContext = (options = {}) => newContext({ serviceWorkers: 'block', ...options });
  browser.newPage = (options = {}) => newPage({ serviceWorkers: 'block', ...options });
  return browser;
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

/**
 * The built site's folder (STENOGRAM_SITE_DIR, set by `cargo xtask test`),
 * for tests that serve it themselves (offline mode, redeploy).
 */
export function siteDir() {
  const dir = process.env.STENOGRAM_SITE_DIR;
  if (!dir) {
    throw new Error(
      'STENOGRAM_SITE_DIR is not set: run the browser tests with `cargo xtask test`, ' +
        'or set it to a release build (cargo xtask build --public-url /stenogram/ --dist DIR)',
    );
  }
  return dir;
}

/** The URL prefix of baseUrl(), e.g. `/stenogram/`. */
export function basePrefix() {
  return new URL(baseUrl()).pathname;
}

/**
 * Serves the site's data from `dir` (a folder written by
 * `stenogram-corpus bundle --out DIR`: index.json and shards/) in place of
 * the built site's own `data/`, for this page only.
 */
export async function routeDataDir(page, dir) {
  const { readFile } = await import('node:fs/promises');
  const { join, normalize, sep } = await import('node:path');
  await page.route('**/data/**', async (route) => {
    const path = new URL(route.request().url()).pathname;
    const rel = normalize(decodeURIComponent(path.slice(path.indexOf('/data/') + '/data/'.length)));
    if (rel.startsWith('..') || rel.includes(`..${sep}`)) {
      return route.fulfill({ status: 404, body: 'not found' });
    }
    try {
      const body = await readFile(join(dir, rel));
      return route.fulfill({ status: 200, contentType: 'application/json', body });
    } catch {
      return route.fulfill({ status: 404, body: 'not found' });
    }
  });
}

const tempDirs = new Set();
function removeTempDirs() {
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort: a folder that cannot be removed must not fail the run.
    }
  }
  tempDirs.clear();
}

/**
 * A new folder under the system's temp dir, removed when the test process
 * exits, also when it is interrupted or stopped (SIGINT, SIGTERM: the test
 * runner's timeout). The scale and dev-set bundles the specs write weigh
 * up to 200 MB each, and CI runs on the same disk as the session that
 * submits: left behind, they once filled it.
 */
export function tempDir(prefix) {
  if (tempDirs.size === 0) {
    process.once('exit', removeTempDirs);
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
      process.once(signal, () => {
        removeTempDirs();
        process.exit(code);
      });
    }
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/**
 * Runs the corpus CLI (`cargo run -p stenogram-corpus -- ARGS`) from the
 * repository root, inheriting its output.
 */
export function corpusCli(args) {
  return import('node:child_process').then(({ execFileSync }) =>
    execFileSync('cargo', ['run', '--quiet', '-p', 'stenogram-corpus', '--', ...args], {
      cwd: new URL('../..', import.meta.url).pathname,
      stdio: ['ignore', 'inherit', 'inherit'],
    }),
  );
}

/**
 * Waits until what the app does after a frame has run: a user action's
 * history entry is pushed, and the facet counts and the density overlay
 * follow the timeline, after the frame that shows the action's result
 * (see `ViewCtx::act` and `after_paint.rs`). Two frames and the tasks
 * after them; the app queues that work at background priority
 * (`scheduler.postTask`), so the wait ends with a task of the same
 * priority, which runs after the ones queued before it.
 */
export async function afterFrames(page) {
  await page.evaluate(
    () =>
      new Promise((done) => {
        const last = () =>
          globalThis.scheduler?.postTask
            ? scheduler.postTask(done, { priority: 'background' })
            : setTimeout(done, 0);
        requestAnimationFrame(() => setTimeout(() => requestAnimationFrame(last), 0));
      }),
  );
}

/** The page's address once the app has recorded the last action. */
export async function settledUrl(page) {
  await afterFrames(page);
  return page.url();
}
