// The timeline at scale: a corpus generated from the dev set
// (../shared/corpus/kremlin-dev, 2,000 events over 2000-2026) served in place
// of the site's data. Only what is on screen is in the DOM, scrolling reaches
// the oldest event, jumping to a month lands there, a deep link opens its
// event's transcript from a lazily fetched shard, and the date range and
// speaker type-ahead work on it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, baseUrl, routeDataDir, corpusCli, tempDir } from './harness.mjs';

const DEV = new URL('../../../shared/corpus/kremlin-dev/', import.meta.url).pathname;
const EVENTS = 2000;
const n = (x) => x.toLocaleString('en-US');
const skip = existsSync(DEV) ? false : `the dev set is not beside the checkout (${DEV})`;

let browser;
let data;
let index;

before(async () => {
  if (skip) return;
  const dir = tempDir('stenogram-scale-');
  await corpusCli(['generate', '--events', String(EVENTS), '--from', DEV, '--out', join(dir, 'raw')]);
  data = join(dir, 'data');
  await corpusCli(['bundle', '--out', data, join(dir, 'raw')]);
  index = JSON.parse(readFileSync(join(data, 'index.json'), 'utf8'));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function open(suffix = '') {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.errors = errors;
  await routeDataDir(page, data);
  await page.goto(baseUrl() + suffix);
  await page.getByTestId('event-card').first().waitFor({ timeout: 30_000 });
  return page;
}

const cardDates = (page) =>
  page.$$eval('[data-testid=event-card] time', (ts) => ts.map((t) => t.getAttribute('datetime')));

test('only the rows on screen are in the DOM, and a scroll reaches the oldest event', { skip }, async () => {
  const page = await open();
  assert.match(await page.getByTestId('result-count').textContent(), new RegExp(`${n(EVENTS)} events`));
  const mounted = await page.getByTestId('event-card').count();
  assert.ok(mounted > 3 && mounted < 60, `${mounted} cards mounted for ${EVENTS} events`);

  const newest = index.events.date.at(-1);
  assert.equal((await cardDates(page))[0], newest);

  // Scroll to the end (the page grows as rows are measured: repeat until still).
  let last = -1;
  for (let i = 0; i < 40; i++) {
    const h = await page.evaluate(() => {
      window.scrollTo(0, document.documentElement.scrollHeight);
      return document.documentElement.scrollHeight;
    });
    await page.waitForTimeout(100);
    if (h === last) break;
    last = h;
  }
  await page.waitForTimeout(200);
  const dates = await cardDates(page);
  assert.equal(dates.at(-1), index.events.date[0], 'the oldest event is the last card');
  assert.ok((await page.getByTestId('event-card').count()) < 60);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('jumping to a month brings it to the top of the screen', { skip }, async () => {
  const page = await open();
  await page.getByTestId('jump-to').fill('2010-06');
  await page.getByTestId('jump-to').dispatchEvent('change');
  await page.waitForTimeout(300);
  assert.match(await page.getByTestId('current-month').textContent(), /June 2010|May 2010/);
  // A card of June 2010 (or the nearest earlier month) is in the viewport.
  const visible = await page.$$eval('[data-testid=event-card]', (cards) =>
    cards
      .filter((c) => {
        const r = c.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight;
      })
      .map((c) => c.querySelector('time').getAttribute('datetime')),
  );
  assert.ok(visible.some((d) => d <= '2010-06-30' && d >= '2010-05-01'), visible.join(' '));
  await page.close();
});

test('a deep link opens an old event; only a few small shards are fetched ahead', { skip }, async () => {
  // An event from the first shard: far down, newest first.
  const row = 3;
  const shardOf = (r) => index.shards.find((s) => s.first <= r && r < s.first + s.count);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await routeDataDir(page, data);
  const shards = [];
  page.on('request', (r) => {
    if (r.url().includes('/data/shards/')) shards.push(new URL(r.url()).pathname);
  });
  // Ids are derived in the app: read the id of `row` from its card.
  const date = index.events.date[row];
  await page.goto(baseUrl() + `?from=${date}&to=${date}`);
  const card = page.getByTestId('event-card').filter({ hasText: index.events.title[row] }).first();
  await card.waitFor({ timeout: 30_000 });
  const eventId = await card.getAttribute('data-event-id');
  // Still for a moment: the transcripts on screen are fetched ahead, a few.
  await page.waitForTimeout(600);
  assert.ok(shards.length >= 1 && new Set(shards).size <= 3, `fetched ahead: ${shards.join(' ')}`);
  assert.ok(shards.some((p) => p.endsWith(shardOf(row).path.replace(/^data/, ''))), 'the card on screen');

  shards.length = 0;
  await page.goto(baseUrl() + `?open=${encodeURIComponent(eventId)}`);
  const opened = page.locator(`[data-testid=event-card][data-event-id="${eventId}"]`);
  await opened.getByTestId('turn').first().waitFor({ timeout: 30_000 });
  const box = await opened.boundingBox();
  assert.ok(box && box.y < 900, 'the opened card is on screen');
  assert.ok(shards[0].endsWith(shardOf(row).path.replace(/^data/, '')), `its shard first: ${shards.join(' ')}`);
  assert.ok(shards.every((p) => /\/data\/shards\/[0-9a-f]{8,}\.json$/.test(p)));
  await page.close();
});

test('a date range from the URL filters and survives a reload', { skip }, async () => {
  const page = await open('?from=2005-01-01&to=2005-12-31');
  const inRange = index.events.date.filter((d) => d >= '2005-01-01' && d <= '2005-12-31').length;
  assert.match(
    await page.getByTestId('result-count').textContent(),
    new RegExp(`^${n(inRange)} events? of ${n(EVENTS)}`),
  );
  const dates = await cardDates(page);
  assert.ok(dates.every((d) => d.startsWith('2005-')), dates.join(' '));
  await page.reload();
  await page.getByTestId('event-card').first().waitFor();
  assert.ok((await cardDates(page)).every((d) => d.startsWith('2005-')));
  await page.close();
});

test('the speaker type-ahead forgives a typo and filters the timeline', { skip }, async () => {
  const page = await open();
  await page.getByTestId('speaker-search').fill('Lavorv');
  const option = page.getByTestId('speaker-option-sergei-lavrov');
  await option.waitFor();
  await option.check();
  await page.waitForURL(/speakers=sergei-lavrov/);
  const lavrov = index.speakers.findIndex((s) => s.id === 'sergei-lavrov');
  const expected = index.events.speakers.filter((s) => s.includes(lavrov)).length;
  assert.match(await page.getByTestId('result-count').textContent(), new RegExp(`^${n(expected)} events? of`));
  await page.close();
});

test('exporting many transcripts asks first, and the keyboard focus follows each step', { skip }, async () => {
  const page = await open();
  // Slowed shards, so that the fetching step lasts long enough to be seen
  // (routes registered later run first; `fallback` serves the file).
  await page.route('**/data/shards/**', async (route) => {
    await new Promise((r) => setTimeout(r, 150));
    await route.fallback();
  });
  const focused = () => page.evaluate(() => document.activeElement?.dataset?.testid ?? document.activeElement?.tagName);
  const focusOn = (testId) =>
    page.waitForFunction((id) => document.activeElement?.dataset?.testid === id, testId, { timeout: 10_000 });
  const menu = page.getByTestId('export-menu');
  await menu.locator('summary').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('export-turns-csv').focus();

  // Asked first: the focus is on "Export"; its Cancel gives it back.
  await page.keyboard.press('Enter');
  await menu.getByText(/This export fetches [\d,]+ transcript files/).waitFor();
  await focusOn('export-go');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel');
  await page.keyboard.press('Enter');
  await focusOn('export-turns-csv');
  assert.equal(await menu.getByText(/This export fetches/).count(), 0);

  // Go ahead: fetching, the focus is on its Cancel; cancelled, back again.
  await page.keyboard.press('Enter');
  await focusOn('export-go');
  await page.keyboard.press('Enter');
  await focusOn('export-cancel');
  assert.match(await menu.textContent(), /Fetching transcripts: [\d,]+ of [\d,]+/);
  await page.keyboard.press('Enter');
  await focusOn('export-turns-csv');
  assert.equal(await page.getByTestId('export-status').textContent(), 'Export cancelled.');
  assert.equal(await focused(), 'export-turns-csv');
  assert.deepEqual(page.errors, []);
  await page.close();
});
