// The Content-Security-Policy of the release build (added by `cargo xtask
// build`, see xtask/src/release.rs): present, strict, and the app works under
// it without a single violation — load, open a transcript, filter, reload.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, baseUrl, settledUrl } from './harness.mjs';

const PEACEKEEPING = 'Meeting on Russian peacekeeping mission in Nagorno-Karabakh';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The policy of the page at the base URL, parsed into `{ directive: [sources] }`. */
async function fetchPolicy() {
  const response = await fetch(baseUrl());
  assert.equal(response.status, 200);
  const html = await response.text();
  const metas = html.match(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi) ?? [];
  assert.equal(metas.length, 1, 'exactly one CSP meta tag');
  const content = metas[0].match(/content="([^"]*)"/i)[1];
  // Before any script and before <base>, so it governs all of them.
  const at = html.indexOf(metas[0]);
  assert.ok(at < html.search(/<script/i), 'the CSP meta tag comes before every script');
  assert.ok(at < html.search(/<base/i), 'the CSP meta tag comes before <base>');
  const policy = {};
  for (const part of content.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) policy[name] = sources;
  }
  return { policy, content, html };
}

test('the built page carries a strict CSP meta tag', async () => {
  const { policy, content, html } = await fetchPolicy();
  assert.doesNotMatch(content, /'unsafe-inline'/);
  assert.doesNotMatch(content, /'unsafe-eval'/);
  assert.doesNotMatch(content, /https?:|\*/, 'no third-party origin or wildcard');
  assert.deepEqual(policy['default-src'], ["'self'"]);
  assert.deepEqual(policy['style-src'], ["'self'"]);
  assert.deepEqual(policy['connect-src'], ["'self'"]);
  assert.deepEqual(policy['worker-src'], ["'self'"]);
  assert.deepEqual(policy['object-src'], ["'none'"]);
  assert.deepEqual(policy['base-uri'], ["'self'"]);
  assert.deepEqual(policy['form-action'], ["'none'"]);
  assert.deepEqual(policy['img-src'], ["'self'", 'data:']);
  const scripts = policy['script-src'];
  assert.deepEqual(scripts.slice(0, 2), ["'self'", "'wasm-unsafe-eval'"]);
  const hashes = scripts.slice(2);
  // One hash per inline script (Trunk's loader), and it is that script's.
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]);
  assert.ok(inline.length >= 1, "Trunk's inline loader is there");
  const { createHash } = await import('node:crypto');
  const expected = inline.map((text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`);
  assert.deepEqual(hashes.sort(), expected.sort());
  // Nothing inline that the policy would block.
  assert.doesNotMatch(html, /<style[\s>]/i);
  assert.doesNotMatch(html, /\sstyle\s*=/i);
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
});

test('the app runs under the policy without a single violation', async () => {
  const page = await browser.newPage({ serviceWorkers: 'allow' });
  // Runs through CDP before the page's own scripts, so the policy does not apply to it.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  const errors = [];
  const cspMessages = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) cspMessages.push(message.text());
  });

  await page.goto(baseUrl());
  // If the policy blocks the app, say what it blocked rather than time out.
  await page
    .getByTestId('event-card')
    .first()
    .waitFor({ timeout: 15000 })
    .catch(async (err) => {
      const violations = await page.evaluate(() => window.__cspViolations);
      throw new Error(`the app did not start: ${JSON.stringify({ violations, cspMessages, errors })}`, { cause: err });
    });
  const peace = page.getByTestId('event-card').filter({ hasText: PEACEKEEPING });
  await peace.getByTestId('toggle-transcript').click();
  await peace.getByTestId('turn').filter({ hasText: 'Good afternoon, colleagues.' }).first().waitFor();
  await page.getByLabel('Find a speaker by name or role').fill('lavrov');
  await page.getByRole('checkbox', { name: /Sergei Lavrov/ }).check();
  assert.match(new URL(await settledUrl(page)).searchParams.get('speakers') ?? '', /sergei-lavrov/);
  for (let i = 0; i < 50 && (await page.getByTestId('event-card').count()) !== 1; i++) {
    await page.waitForTimeout(100);
  }
  assert.equal(await page.getByTestId('event-card').count(), 1);
  // The service worker registers under the policy (worker-src 'self').
  const scope = await page.evaluate(() =>
    Promise.race([
      navigator.serviceWorker.ready.then((registration) => registration.scope),
      new Promise((ok) => setTimeout(() => ok('no service worker within 15 s'), 15000)),
    ]),
  );
  assert.equal(scope, baseUrl());
  await page.reload();
  await page.getByTestId('event-card').first().waitFor();

  const violations = await page.evaluate(() => window.__cspViolations);
  assert.deepEqual(violations, [], 'no securitypolicyviolation event');
  assert.deepEqual(cspMessages, [], 'no CSP message on the console');
  assert.deepEqual(errors, [], 'no page error');
  await page.context().close();
});
