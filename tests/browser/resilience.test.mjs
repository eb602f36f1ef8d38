// Hostile links and a failing network: the page names what it ignored or
// what went wrong, offers a way on, and never goes blank.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, baseUrl, settledUrl } from './harness.mjs';

const PEACEKEEPING_ID = '2020-11-20-meeting-on-russian-peacekeeping-mission-in-nagorno-karabakh';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function newPage() {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.errors = errors;
  return page;
}

test('a link with unknown ids and bad values shows a notice, keeps working and is normalised', async () => {
  const page = await newPage();
  const query =
    `?speakers=foo,sergei-lavrov&open=${PEACEKEEPING_ID},no-such-event&match=maybe&sort=sideways&only=yes&utm_source=x`;
  await page.goto(baseUrl() + query);
  const notice = page.getByTestId('link-notice');
  await notice.waitFor();
  assert.equal(
    (await notice.locator('.notice-text').textContent()).trim(),
    'Ignored from the link: match “maybe”; sort “sideways”; only “yes”; unknown speaker “foo”; unknown event “no-such-event”',
  );
  // What was valid is applied.
  await page.getByTestId('transcript').first().waitFor();
  assert.equal(await page.getByTestId('event-card').count(), 1);
  // The address says what is shown, without adding a history entry.
  const url = new URL(await settledUrl(page));
  assert.equal(url.search, `?speakers=sergei-lavrov&open=${PEACEKEEPING_ID}`);
  // (about:blank, then the page: replaceState added nothing.)
  assert.equal(await page.evaluate(() => history.length), 2);
  // Dismissed, it goes, and focus lands on the content.
  await page.getByTestId('dismiss-notice').click();
  assert.equal(await notice.count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('absurdly long values and lists are cut, quoted briefly, and do not stall the page', async () => {
  const page = await newPage();
  // Long, but under the test server's 16 KB request-header limit.
  const ids = Array.from({ length: 1_000 }, (_, i) => `g${i}`).join(',');
  const long = 'y'.repeat(8_000);
  await page.goto(`${baseUrl()}?speakers=${ids}&sort=${long}`);
  const notice = page.getByTestId('link-notice');
  await notice.waitFor();
  const text = await notice.textContent();
  assert.ok(text.length < 600, `the notice stays short (${text.length} chars)`);
  assert.match(text, /sort “y{40}…”/);
  assert.match(text, /unknown speaker “g0”/);
  assert.match(text, /and \d+ more/);
  assert.equal(await page.getByTestId('event-card').count(), 2, 'the full timeline, as for no filter');
  assert.equal(new URL(await settledUrl(page)).search, '');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a plain link shows no notice', async () => {
  const page = await newPage();
  await page.goto(baseUrl() + '?speakers=sergei-lavrov');
  await page.getByTestId('event-card').first().waitFor();
  assert.equal(await page.getByTestId('link-notice').count(), 0);
  await page.close();
});

test('a truncated bundle is reported as incomplete, with Retry', async () => {
  const page = await newPage();
  let truncate = true;
  await page.route('**/data/index.json', async (route) => {
    if (!truncate) return route.continue();
    const response = await route.fetch();
    const body = await response.text();
    await route.fulfill({ response, body: body.slice(0, Math.floor(body.length / 2)) });
  });
  await page.goto(baseUrl());
  const error = page.getByTestId('error-state');
  await error.waitFor();
  const text = await error.textContent();
  assert.match(text, /data\/index\.json/);
  assert.match(text, /incomplete, cut off before its end/);
  truncate = false;
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.getByTestId('event-card').first().waitFor();
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a request that never completes times out with a message and Retry', { timeout: 60_000 }, async () => {
  const page = await newPage();
  let stall = true;
  await page.route('**/data/index.json', (route) => {
    // Never answered: only the app's own timeout can end it.
    if (!stall) return route.continue();
  });
  await page.goto(baseUrl());
  await page.getByTestId('loading').waitFor();
  const error = page.getByTestId('error-state');
  await error.waitFor({ timeout: 25_000 });
  assert.match(await error.textContent(), /timed out/);
  assert.match(await error.textContent(), /data\/index\.json/);
  stall = false;
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.getByTestId('event-card').first().waitFor();
  assert.deepEqual(page.errors, []);
  await page.close();
});
