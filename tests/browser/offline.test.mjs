// Offline mode and deploys: the service worker (public/sw.js, version stamped
// by `cargo xtask build`) keeps the site usable without a network, and a new
// deploy replaces the cached one on the next visit.
//
// A service worker belongs to an origin, so this test serves the built site
// (STENOGRAM_SITE_DIR) itself on a port of its own: it stops that server to
// go offline for real, and later serves a "redeployed" copy on the same port.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, basePrefix, siteDir } from './harness.mjs';
import { startServer } from './server.mjs';

const PEACEKEEPING = 'Meeting on Russian peacekeeping mission in Nagorno-Karabakh';
const NUREMBERG = 'Address to participants in Nuremberg Lessons forum';
const REDEPLOYED = 'Meeting on the peacekeeping mission, as redeployed';

let browser;
let server;
let copy;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (copy) await rm(copy, { recursive: true, force: true });
});

/** The build version stamped into a site's sw.js. */
async function stampedVersion(dir) {
  const sw = await readFile(join(dir, 'sw.js'), 'utf8');
  const version = sw.match(/const VERSION = '([^']+)';/)?.[1];
  assert.ok(version && !version.startsWith('__'), `sw.js carries a build version: ${version}`);
  return version;
}

/** Polls `fn` (in node) until it returns a truthy value; fails after `ms`. */
async function until(fn, what, ms = 15000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn().catch((err) => err);
    if (last && !(last instanceof Error)) return last;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  assert.fail(`timed out waiting for ${what} (last: ${last})`);
}

const titles = (page) => page.getByTestId('event-title').allTextContents();
const cacheNames = (page) => page.evaluate(() => caches.keys());

test('works offline once visited, and a new deploy replaces the old cache', async () => {
  const prefix = basePrefix();
  const site = siteDir();
  const version = await stampedVersion(site);
  server = await startServer({ root: site, prefix, port: 0 });
  const url = server.url;

  const context = await browser.newContext({ serviceWorkers: 'allow' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.getByTestId('event-card').first().waitFor();

  // The worker is installed for the base URL and controls the page.
  const scope = await page.evaluate(() =>
    Promise.race([
      navigator.serviceWorker.ready.then((registration) => registration.scope),
      new Promise((ok) => setTimeout(() => ok('no service worker within 15 s'), 15000)),
    ]),
  );
  assert.equal(scope, url);
  await until(() => page.evaluate(() => navigator.serviceWorker.controller !== null), 'the worker to control the page');
  assert.deepEqual(await cacheNames(page), [`stenogram-${version}`]);

  // Offline for real: no server, and the browser's network switched off.
  await server.close();
  server = undefined;
  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('event-card').first().waitFor();
  assert.deepEqual(await titles(page), [PEACEKEEPING, NUREMBERG]);
  const peace = page.getByTestId('event-card').filter({ hasText: PEACEKEEPING });
  await peace.getByTestId('toggle-transcript').click();
  await peace.getByTestId('turn').filter({ hasText: 'Good afternoon, colleagues.' }).first().waitFor();
  // A shared link (the view state in the query string) opens offline too.
  await page.goto(`${url}?speakers=sergei-lavrov`);
  await page.getByTestId('event-card').first().waitFor();
  assert.deepEqual(await titles(page), [PEACEKEEPING]);

  // A new deploy: other data and another build version, same origin.
  copy = await mkdtemp(join(tmpdir(), 'stenogram-redeploy-'));
  await cp(site, copy, { recursive: true });
  const corpus = await readFile(join(copy, 'data', 'index.json'), 'utf8');
  assert.ok(corpus.includes(PEACEKEEPING));
  await writeFile(join(copy, 'data', 'index.json'), corpus.replaceAll(PEACEKEEPING, REDEPLOYED));
  const newVersion = `${version}0redeploy`;
  const sw = await readFile(join(copy, 'sw.js'), 'utf8');
  await writeFile(join(copy, 'sw.js'), sw.replace(`'${version}'`, `'${newVersion}'`));
  server = await startServer({ root: copy, prefix, port: new URL(url).port });
  assert.equal(server.url, url);

  await context.setOffline(false);
  // The first reload already fetches the new data (network first) and makes
  // the browser install the new worker; the old cache goes when it activates.
  await until(async () => {
    await page.goto(url);
    await page.getByTestId('event-card').first().waitFor();
    return (await titles(page)).includes(REDEPLOYED);
  }, 'the redeployed title');
  assert.deepEqual(await titles(page), [REDEPLOYED, NUREMBERG]);
  await until(async () => {
    const names = await cacheNames(page);
    return names.length === 1 && names[0] === `stenogram-${newVersion}`;
  }, `only the new cache stenogram-${newVersion}`);
  const controller = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
  assert.equal(controller, `${url}sw.js`);

  // And the new deploy is what is cached now: offline again, the new title.
  await server.close();
  server = undefined;
  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('event-card').first().waitFor();
  assert.deepEqual(await titles(page), [REDEPLOYED, NUREMBERG]);

  assert.deepEqual(errors, []);
  await context.close();
});
