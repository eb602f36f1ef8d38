// Accessibility: axe-core finds no violations on the timeline, an open
// transcript, and the speaker filter in use, in light and dark schemes.
// axe's source is evaluated in the page (no <script> tag: the site's
// Content-Security-Policy allows none).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launchBrowser, baseUrl } from './harness.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Runs axe on the whole page; returns the violations, summarised. */
async function violations(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }),
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
  }));
}

for (const colorScheme of ['light', 'dark']) {
  test(`no axe violations (${colorScheme}): timeline, open transcript, filter in use`, async () => {
    const page = await browser.newPage({ colorScheme, viewport: { width: 1280, height: 900 } });
    await page.goto(baseUrl());
    await page.getByTestId('event-card').first().waitFor();
    assert.deepEqual(await violations(page), [], 'timeline');

    await page.getByTestId('toggle-transcript').first().click();
    await page.getByTestId('turn').first().waitFor();
    assert.deepEqual(await violations(page), [], 'open transcript');

    await page.getByLabel('Find a speaker by name or role').fill('lavrov');
    await page.getByRole('checkbox', { name: /Sergei Lavrov/ }).check();
    await page.getByLabel(/Only their turns/).check();
    await page.getByTestId('hidden-run').first().waitFor();
    assert.deepEqual(await violations(page), [], 'filter in use, only their turns');

    await page.close();
  });

  test(`no axe violations (${colorScheme}): link notice and load error`, async () => {
    const page = await browser.newPage({ colorScheme });
    await page.goto(baseUrl() + '?speakers=ghost&sort=sideways');
    await page.getByTestId('link-notice').waitFor();
    assert.deepEqual(await violations(page), [], 'link notice');
    await page.close();

    const failing = await browser.newPage({ colorScheme });
    await failing.route('**/data/index.json', (route) => route.fulfill({ status: 404, body: 'no' }));
    await failing.goto(baseUrl());
    await failing.getByTestId('error-state').waitFor();
    assert.deepEqual(await violations(failing), [], 'load error');
    await failing.close();
  });
}
