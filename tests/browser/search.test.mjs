// Full-text search as a user meets it: type words or "a phrase", pick a
// speaker to search only their words, read the passages under the cards,
// step through the matches of an open transcript, reload.
// Built from the embedded sample: two events of 20 November 2020.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, baseUrl } from './harness.mjs';

const PEACEKEEPING = 'Meeting on Russian peacekeeping mission in Nagorno-Karabakh';
const NUREMBERG = 'Address to participants in Nuremberg Lessons forum';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function open(query = '') {
  const page = await browser.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  page.requested = [];
  page.on('request', (r) => page.requested.push(new URL(r.url()).pathname));
  await page.goto(baseUrl() + query);
  await page.getByTestId('event-card').first().waitFor();
  return page;
}

const titles = (page) => page.getByTestId('event-title').allTextContents();
const param = (page, key) => new URL(page.url()).searchParams.get(key);

/** Types `text` into the search box and waits until its results are on screen. */
async function search(page, text) {
  await page.getByLabel('Search what was said').fill(text);
  await page.locator(`[data-testid=search-status][data-state=ready][data-for="${text.replaceAll('"', '\\"')}"]`).waitFor();
}

async function pickSpeaker(page, name) {
  await page.getByLabel('Find a speaker by name or role').fill(name);
  await page.getByRole('checkbox', { name: new RegExp(name) }).check();
}

test('a word finds its events; only the chunks it needs are fetched', async () => {
  const page = await open();
  await search(page, 'Nuremberg ');
  assert.deepEqual(await titles(page), [NUREMBERG]);
  assert.match(await page.getByTestId('search-status').textContent(), /^1 event with these words/);
  // The index is fetched in parts: its directory and the chunk of the word.
  const parts = page.requested.filter((p) => p.includes('/data/search/'));
  assert.ok(parts.length >= 2 && parts.length <= 3, `search requests: ${parts}`);
  // Stemming: "peacekeepers" finds "peacekeeping" and "peacekeepers" alike.
  await search(page, 'peacekeeper ');
  assert.deepEqual(await titles(page), [PEACEKEEPING]);
  // As you type: the last word is a prefix.
  await search(page, 'Nurem');
  assert.deepEqual(await titles(page), [NUREMBERG]);
  // Exclusion.
  await search(page, 'Russia -Karabakh ');
  assert.deepEqual(await titles(page), [NUREMBERG]);
  assert.equal(param(page, 'q'), 'Russia -Karabakh ');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a phrase with a speaker picked searches only their words, with passages and marks', async () => {
  const page = await open();
  await search(page, '"humanitarian efforts"');
  assert.deepEqual(await titles(page), [PEACEKEEPING]);
  const passage = page.getByTestId('passage').first();
  await passage.waitFor();
  assert.match(await passage.textContent(), /^Vladimir Putin: /);
  assert.deepEqual(await passage.locator('mark').allTextContents(), ['humanitarian efforts']);

  // Lavrov never says it: nothing matches.
  await pickSpeaker(page, 'Sergei Lavrov');
  await page.locator('[data-testid=search-status][data-state=ready]').waitFor();
  await page.getByText('No events match the filters.').waitFor();
  assert.match(await page.getByTestId('search-status').textContent(), /^0 events with these words in the words of Sergei Lavrov/);

  // He does speak of the United Nations; the passage is his, not Putin's.
  await search(page, '"United Nations"');
  assert.deepEqual(await titles(page), [PEACEKEEPING]);
  const passages = await page.getByTestId('passage').allTextContents();
  assert.ok(passages.length > 0);
  for (const p of passages) assert.match(p, /^Sergei Lavrov: /);
  assert.equal(param(page, 'q'), '"United Nations"');
  assert.equal(param(page, 'speakers'), 'sergei-lavrov');

  // Reload: the same query, speaker and results.
  await page.reload();
  await page.locator('[data-testid=search-status][data-state=ready]').waitFor();
  assert.equal(await page.getByLabel('Search what was said').inputValue(), '"United Nations"');
  assert.deepEqual(await titles(page), [PEACEKEEPING]);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('words apart are not the phrase: the card says so', async () => {
  const page = await open();
  await search(page, '"efforts humanitarian"');
  // The index only knows both words are Putin's; the text shows they are apart.
  await page.getByTestId('phrase-missing').first().waitFor();
  await page.close();
});

test('an open transcript marks the matches and steps through them', async () => {
  const page = await open();
  await search(page, 'humanitarian ');
  const card = page.getByTestId('event-card').filter({ hasText: PEACEKEEPING });
  await card.getByTestId('toggle-transcript').click();
  const count = card.getByTestId('hit-count');
  await count.waitFor();
  const total = Number((await count.textContent()).match(/\d+/)[0]);
  assert.ok(total >= 10, `matches: ${total}`);
  assert.equal(await card.locator('[data-testid=transcript] mark.hit').count(), total);
  await card.getByTestId('next-hit').click();
  await card.getByTestId('next-hit').click();
  assert.equal(await count.textContent(), `Match 2 of ${total}`);
  const current = card.locator('mark.hit.current');
  assert.equal(await current.count(), 1);
  assert.match(await current.textContent(), /^humanitarian$/i);
  assert.ok(await current.isVisible());
  // Text stays text: marks are the only elements inside a paragraph.
  assert.equal(await card.locator('.turn p:not(.turn-speaker) > :not(mark)').count(), 0);
  // Clearing the search removes the marks.
  await page.getByRole('button', { name: 'Clear search' }).click();
  await page.locator('[data-testid=search-status][data-state=idle]').waitFor();
  assert.equal(await card.locator('mark.hit').count(), 0);
  assert.deepEqual(page.errors, []);
  await page.close();
});
