// Keyboard only: from page load, with Tab / Shift+Tab / Space / Enter and
// typing, find Sergei Lavrov, pick him, open the transcript, keep only his
// turns and reach his report. Every focused control shows a visible focus
// indicator.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, baseUrl, settledUrl } from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** What is focused, and whether it shows a focus indicator. */
function focusInfo(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow && s.boxShadow !== 'none';
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      testid: el.dataset?.testid ?? null,
      name: (el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent || '').trim().slice(0, 80),
      visible: Boolean(outline || shadow),
    };
  });
}

/** Presses Tab (or Shift+Tab) until `want(focus)`; asserts each stop shows focus. */
async function tabTo(page, want, { back = false, max = 60 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focusInfo(page);
    if (f.tag !== 'body' && f.id !== 'main') {
      assert.ok(f.visible, `focus is visible on ${JSON.stringify(f)}`);
    }
    if (want(f)) return f;
  }
  throw new Error(`not reached with ${back ? 'Shift+Tab' : 'Tab'} in ${max} presses`);
}

for (const colorScheme of ['light', 'dark']) {
  test(`keyboard only (${colorScheme}): pick Lavrov, open, only his turns, read his report`, async () => {
    const page = await browser.newPage({ colorScheme, viewport: { width: 1280, height: 800 } });
    await page.goto(baseUrl());
    await page.getByTestId('event-card').first().waitFor();

    await tabTo(page, (f) => f.id === 'speaker-search');
    await page.keyboard.type('lavrov');
    await tabTo(page, (f) => f.testid === 'speaker-option-sergei-lavrov');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-card]').length === 1);
    assert.equal(new URL(await settledUrl(page)).searchParams.get('speakers'), 'sergei-lavrov');

    const toggle = await tabTo(page, (f) => f.testid === 'toggle-transcript');
    assert.match(toggle.name, /Show transcript/);
    await page.keyboard.press('Enter');
    await page.getByTestId('transcript').getByTestId('turn').first().waitFor();

    // Back up to "Only their turns" in the sidebar and switch it on.
    await tabTo(page, (f) => f.testid === 'only-their-turns', { back: true });
    await page.keyboard.press('Space');
    await page.getByTestId('hidden-run').first().waitFor();
    assert.equal(new URL(await settledUrl(page)).searchParams.get('only'), '1');

    // Forward into the transcript, to the link on Lavrov's turn: his report.
    const link = await tabTo(page, (f) => /Link to this turn by Sergei Lavrov/.test(f.name));
    assert.ok(link.visible);
    const report = await page.evaluate(() => document.activeElement.closest('[data-testid=turn]').textContent);
    assert.match(report, /My report is complete\. Thank you\./);
    const others = await page.locator('[data-testid=transcript] [data-testid=turn]:not([data-speaker=sergei-lavrov])').count();
    assert.equal(others, 0, 'only his turns are shown');
    await page.close();
  });
}
