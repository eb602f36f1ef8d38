// The viewer as a user sees it: load, read, open, filter, share, go back.
// Runs against the release site served under /stenogram/ (see harness.mjs),
// built from the embedded sample: two events of 20 November 2020.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, baseUrl, settledUrl } from './harness.mjs';

const PEACEKEEPING = 'Meeting on Russian peacekeeping mission in Nagorno-Karabakh';
const NUREMBERG = 'Address to participants in Nuremberg Lessons forum';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** A fresh page at the site (plus an optional `?query`), once the timeline is shown. */
async function open(query = '') {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.errors = errors;
  await page.goto(baseUrl() + query);
  await page.getByTestId('event-card').first().waitFor();
  return page;
}

const titles = (page) => page.getByTestId('event-title').allTextContents();
const query = async (page, key) => new URL(await settledUrl(page)).searchParams.get(key);
const card = (page, title) => page.getByTestId('event-card').filter({ hasText: title });

async function pickSpeaker(page, search, name) {
  await page.getByLabel('Find a speaker by name or role').fill(search);
  await page.getByRole('checkbox', { name: new RegExp(name) }).check();
}

test('shows both events of 20 November 2020, newest first', async () => {
  const page = await open();
  assert.deepEqual(await titles(page), [PEACEKEEPING, NUREMBERG]);
  // Grouped under one year, month and day header.
  assert.equal(await page.getByRole('heading', { name: '2020', exact: true }).count(), 1);
  assert.equal(await page.getByRole('heading', { name: 'November 2020', exact: true }).count(), 1);
  assert.equal(await page.getByRole('heading', { name: 'Friday, 20 November 2020', exact: true }).count(), 1);
  // Card details: time, place, who spoke.
  const peace = card(page, PEACEKEEPING);
  assert.match(await peace.textContent(), /19:00/);
  assert.match(await peace.textContent(), /Novo-Ogaryovo/);
  const speakers = await peace.getByTestId('event-speakers').textContent();
  for (const name of ['Vladimir Putin', 'Sergei Shoigu', 'Sergei Lavrov']) {
    assert.ok(speakers.includes(name), `${name} listed among speakers: ${speakers}`);
  }
  assert.match(await page.locator('footer').textContent(), /en\.kremlin\.ru.*CC BY 4\.0/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('opening an event shows its transcript with canonical speaker names', async () => {
  const page = await open();
  const peace = card(page, PEACEKEEPING);
  const button = peace.getByTestId('toggle-transcript');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await peace.getByTestId('turn').count(), 0, 'transcript not rendered until opened');
  await button.click();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  const first = peace.getByTestId('turn').filter({ hasText: 'Good afternoon, colleagues.' }).first();
  await first.waitFor();
  assert.equal(await first.locator('.speaker-name').textContent(), 'Vladimir Putin');
  assert.equal(await first.getAttribute('data-speaker'), 'vladimir-putin');
  // The paragraph is a <p> of its own.
  assert.equal(await first.locator('p', { hasText: /^Good afternoon, colleagues\.$/ }).count(), 1);
  assert.ok((await query(page, 'open')).includes(await peace.getAttribute('data-event-id')));
  // Closing hides it again.
  await button.click();
  assert.equal(await peace.getByTestId('turn').count(), 0);
  await page.close();
});

test('filtering by a speaker narrows the timeline, lives in the URL and survives reload', async () => {
  const page = await open();
  await pickSpeaker(page, 'lavrov', 'Sergei Lavrov');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-card]').length === 1);
  assert.deepEqual(await titles(page), [PEACEKEEPING]);
  assert.equal(await query(page, 'speakers'), 'sergei-lavrov');

  await page.reload();
  await page.getByTestId('event-card').first().waitFor();
  assert.deepEqual(await titles(page), [PEACEKEEPING]);
  assert.equal(await page.getByRole('checkbox', { name: /Sergei Lavrov/ }).isChecked(), true);
  assert.equal(await query(page, 'speakers'), 'sergei-lavrov');
  await page.close();
});

test('"Only their turns" keeps the picked speaker and hides the others', async () => {
  const page = await open('?speakers=sergei-lavrov');
  const peace = card(page, PEACEKEEPING);
  await peace.getByTestId('toggle-transcript').click();
  await page.getByLabel(/Only their turns/).check();
  assert.equal(await query(page, 'only'), '1');

  const transcript = peace.getByTestId('transcript');
  const lavrov = transcript.locator('[data-testid=turn][data-speaker=sergei-lavrov]');
  await lavrov.first().waitFor();
  assert.match(await lavrov.first().textContent(), /My report is complete\. Thank you\./);
  assert.ok((await lavrov.first().getAttribute('class')).includes('picked'), 'picked turn highlighted');
  // Shoigu's turn is collapsed away, and with it his words.
  assert.equal(await transcript.locator('[data-speaker=sergei-shoigu]').count(), 0);
  assert.equal(await transcript.getByText('Comrade Supreme Commander-in-Chief').count(), 0);
  const placeholders = transcript.getByTestId('hidden-run');
  assert.ok((await placeholders.count()) >= 1);
  assert.match(await placeholders.first().textContent(), /\d+ turns? by others hidden/);

  // A placeholder expands in place.
  await placeholders.first().click();
  await transcript.locator('[data-speaker=sergei-shoigu]').first().waitFor();
  assert.match(
    await transcript.locator('[data-speaker=sergei-shoigu]').first().textContent(),
    /Comrade Supreme Commander-in-Chief/,
  );

  // Switching it off shows everyone again.
  await page.getByLabel(/Only their turns/).uncheck();
  assert.equal(await transcript.getByTestId('hidden-run').count(), 0);
  assert.equal(await query(page, 'only'), null);
  await page.close();
});

test('a turn has a link that reopens the event scrolled to that turn', async () => {
  const page = await open();
  await card(page, PEACEKEEPING).getByTestId('toggle-transcript').click();
  const lavrov = page.locator('[data-testid=turn][data-speaker=sergei-lavrov]').first();
  const href = await lavrov.getByRole('link', { name: /Link to this turn by Sergei Lavrov/ }).getAttribute('href');
  assert.match(href, /^\/stenogram\/\?open=2020-11-20-meeting-on-russian-peacekeeping-mission-in-nagorno-karabakh#/);
  await page.close();

  const linked = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await linked.goto(new URL(href, baseUrl()).href);
  const turn = linked.locator('[data-testid=turn][data-speaker=sergei-lavrov]').first();
  await turn.waitFor();
  await linked.waitForFunction(() => window.scrollY > 0);
  const box = await turn.boundingBox();
  assert.ok(box.y >= 0 && box.y < 800, `linked turn is on screen (y = ${box.y})`);
  await linked.close();
});

test('a turn permalink with extra query parameters still scrolls to the turn, and keeps its fragment', async () => {
  const page = await open();
  await card(page, PEACEKEEPING).getByTestId('toggle-transcript').click();
  const lavrov = page.locator('[data-testid=turn][data-speaker=sergei-lavrov]').first();
  const href = await lavrov.getByRole('link', { name: /Link to this turn by Sergei Lavrov/ }).getAttribute('href');
  await page.close();

  // As shared from a newsletter: a tracking parameter and a default value
  // the app drops from the address when it normalises it.
  const [path, fragment] = href.split('#');
  const shared = new URL(`${path}&utm_source=x&only=0#${fragment}`, baseUrl()).href;
  const linked = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await linked.goto(shared);
  const turn = linked.locator(`[id="${decodeURIComponent(fragment)}"]`);
  await turn.waitFor();
  assert.equal(await turn.getAttribute('data-speaker'), 'sergei-lavrov');
  await linked.waitForFunction(() => window.scrollY > 0);
  const box = await turn.boundingBox();
  assert.ok(box.y >= 0 && box.y < 800, `linked turn is on screen (y = ${box.y})`);
  // The address is normalised, the fragment kept.
  const url = new URL(linked.url());
  assert.equal(url.searchParams.get('utm_source'), null);
  assert.equal(url.searchParams.get('only'), null);
  assert.equal(url.hash, `#${fragment}`);
  await linked.close();
});

test('the sort toggle reverses the order', async () => {
  const page = await open();
  await page.getByTestId('sort-toggle').click();
  assert.deepEqual(await titles(page), [NUREMBERG, PEACEKEEPING]);
  assert.equal(await query(page, 'sort'), 'oldest');
  await page.getByTestId('sort-toggle').click();
  assert.deepEqual(await titles(page), [PEACEKEEPING, NUREMBERG]);
  assert.equal(await query(page, 'sort'), null);
  await page.close();
});

test('back and forward restore the previous filter', async () => {
  const page = await open();
  await pickSpeaker(page, 'lavrov', 'Sergei Lavrov');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-card]').length === 1);
  await page.getByTestId('clear-filter').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-card]').length === 2);
  assert.equal(await query(page, 'speakers'), null);

  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-card]').length === 1);
  assert.equal(await query(page, 'speakers'), 'sergei-lavrov');
  assert.equal(await page.getByRole('checkbox', { name: /Sergei Lavrov/ }).isChecked(), true);

  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-card]').length === 2);
  assert.equal(await page.getByRole('checkbox', { name: /Sergei Lavrov/ }).isChecked(), false);

  await page.goForward();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-card]').length === 1);
  await page.close();
});

test('ALL needs every picked speaker; unknown ids in the URL are ignored', async () => {
  const page = await open('?speakers=no-such-person,sergei-lavrov&match=all');
  assert.deepEqual(await titles(page), [PEACEKEEPING]);
  assert.equal(await query(page, 'speakers'), 'sergei-lavrov', 'unknown id dropped from the address');
  assert.deepEqual(page.errors, []);
  await page.close();

  const putinOnly = await open('?speakers=vladimir-putin');
  assert.deepEqual(await titles(putinOnly), [PEACEKEEPING, NUREMBERG]);
  await putinOnly.close();
});

test('a failed load says which URL and why, and Retry recovers', async () => {
  const page = await browser.newPage();
  let fail = true;
  await page.route('**/data/index.json', (route) =>
    fail ? route.fulfill({ status: 404, body: 'not here' }) : route.continue(),
  );
  await page.goto(baseUrl());
  const error = page.getByTestId('error-state');
  await error.waitFor();
  const text = await error.textContent();
  assert.match(text, /data\/index\.json/);
  assert.match(text, /HTTP 404/);
  fail = false;
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.getByTestId('event-card').first().waitFor();
  assert.equal(await page.getByTestId('event-card').count(), 2);
  await page.close();
});

test('a bundle of another schema version is refused clearly', async () => {
  const page = await browser.newPage();
  await page.route('**/data/index.json', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ schema_version: 999, events: [], speakers: [], summary: {} }),
    }),
  );
  await page.goto(baseUrl());
  const error = page.getByTestId('error-state');
  await error.waitFor();
  assert.match(await error.textContent(), /schema version 999/);
  await page.close();
});

test('printing an open transcript: light colours, no sidebar or controls, no sticky headers', async () => {
  const page = await browser.newPage({ colorScheme: 'dark' });
  await page.goto(baseUrl() + '?open=2020-11-20-meeting-on-russian-peacekeeping-mission-in-nagorno-karabakh');
  await page.getByTestId('turn').first().waitFor();
  await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
  const printed = await page.evaluate(() => {
    const style = (sel) => getComputedStyle(document.querySelector(sel));
    return {
      body: [style('body').backgroundColor, style('body').color],
      sidebar: style('.sidebar').display,
      toggle: style('[data-testid=toggle-transcript]').display,
      sticky: style('.sticky-year').position,
      // A row without the open event (here a header; closed cards below a
      // long transcript may not be mounted at all).
      otherRow: getComputedStyle(document.querySelector('.vrow:not(:has(.event-card.open))')).display,
      speakerBreak: style('.turn-speaker').breakAfter,
    };
  });
  assert.deepEqual(printed, {
    body: ['rgb(255, 255, 255)', 'rgb(0, 0, 0)'],
    sidebar: 'none',
    toggle: 'none',
    sticky: 'static',
    otherRow: 'none',
    speakerBreak: 'avoid',
  });
  await page.close();
});
