// Quote and cite, and export: a permalink lands on its turn (also after a
// reload) and highlights it; a selection inside a turn is copied with its
// citation, as plain text and BibTeX; the filtered events and the picked
// speaker's turns download as CSV and JSON Lines. Runs against the release
// site built from the embedded sample (see harness.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { launchBrowser, baseUrl } from './harness.mjs';

const PEACE_ID = '2020-11-20-meeting-on-russian-peacekeeping-mission-in-nagorno-karabakh';
const PEACE_TITLE = 'Meeting on Russian peacekeeping mission in Nagorno-Karabakh';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PHRASE = 'we have been in close contact with the American and French co-chairs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** A page whose clipboard the test may read, at `?query`. */
async function open(query = '') {
  const context = await browser.newContext({
    permissions: ['clipboard-read', 'clipboard-write'],
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.errors = errors;
  await page.goto(baseUrl() + query);
  await page.getByTestId('event-card').first().waitFor();
  return page;
}

const lavrovTurn = (page) => page.locator('[data-testid=turn][data-speaker=sergei-lavrov]').first();

/** Today as the page sees it (the citation's "accessed" date), YYYY-MM-DD. */
const today = (page) =>
  page.evaluate(() => {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  });

/**
 * Selects from `startText` (inside the first turn of `speaker`) to
 * `endText` (in the same or a later block), as a reader dragging would,
 * and releases the mouse button.
 */
async function select(page, speaker, startText, endText = startText) {
  await page.evaluate(
    ({ speaker, startText, endText }) => {
      const turn = document.querySelector(`[data-testid=turn][data-speaker="${speaker}"]`);
      const find = (root, text) => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const i = n.data.indexOf(text);
          if (i >= 0) return [n, i];
        }
        throw new Error(`text not found: ${text}`);
      };
      const [startNode, startAt] = find(turn, startText);
      startNode.parentElement.scrollIntoView({ block: 'center' });
      // The end may lie in a later turn: search from the start onwards.
      const transcript = turn.closest('[data-testid=transcript]');
      const walker = document.createTreeWalker(transcript, NodeFilter.SHOW_TEXT);
      walker.currentNode = startNode;
      let endNode = startNode;
      let endAt = startNode.data.indexOf(endText, startAt);
      while (endAt < 0) {
        endNode = walker.nextNode();
        if (!endNode) throw new Error(`end not found: ${endText}`);
        endAt = endNode.data.indexOf(endText);
      }
      const range = document.createRange();
      range.setStart(startNode, startAt);
      range.setEnd(endNode, endAt + endText.length);
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      startNode.parentElement.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    },
    { speaker, startText, endText },
  );
  // The toolbar reads the selection a frame after the button is released.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.getByTestId('quote-toolbar').waitFor({ state: 'visible' });
}

const clipboard = (page) => page.evaluate(() => navigator.clipboard.readText());

/** A minimal RFC 4180 reader: rows of cells (quoted cells may hold line breaks). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (c !== '\r') cell += c;
  }
  assert.equal(cell + row.join(''), '', 'the file ends with a line break');
  return rows;
}

/** Clicks an export button and returns the downloaded file's name and text. */
async function exportFile(page, testId) {
  const menu = page.getByTestId('export-menu');
  if (!(await menu.locator('details').evaluate((d) => d.open))) {
    await menu.getByText('Export', { exact: true }).click();
  }
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const text = await readFile(await download.path(), 'utf8');
  return { name: download.suggestedFilename(), text };
}

test('a turn permalink, reloaded, lands on the turn and highlights it', async () => {
  const page = await open(`?open=${PEACE_ID}`);
  const href = await lavrovTurn(page).getByRole('link', { name: /Link to this turn/ }).getAttribute('href');
  const id = decodeURIComponent(href.split('#')[1]);
  await page.goto(new URL(href, baseUrl()).href);
  await page.reload();
  const turn = page.locator(`[id="${id}"]`);
  await turn.waitFor();
  await page.waitForFunction((id) => document.getElementById(id)?.classList.contains('linked'), id);
  await page.waitForFunction(() => window.scrollY > 0);
  const box = await turn.boundingBox();
  assert.ok(box.y >= 0 && box.y < 800, `linked turn is on screen (y = ${box.y})`);
  assert.equal(await turn.getAttribute('aria-current'), 'location');
  // Visibly marked: its bar and background differ from an unlinked turn's.
  const style = (locator) =>
    locator.evaluate((el) => {
      const s = getComputedStyle(el);
      return [s.borderLeftColor, s.backgroundColor];
    });
  const other = page.locator('[data-testid=turn]:not(.linked):not(.picked)').first();
  const [linkedBar, linkedBg] = await style(turn);
  const [otherBar, otherBg] = await style(other);
  assert.notEqual(linkedBar, otherBar);
  assert.notEqual(linkedBg, otherBg);
  // Only that turn.
  assert.equal(await page.locator('.turn.linked').count(), 1);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a selection inside a turn is copied as a quote with its citation, and as BibTeX', async () => {
  const page = await open(`?open=${PEACE_ID}`);
  const turn = lavrovTurn(page);
  await turn.waitFor();
  const id = await turn.getAttribute('id');
  const link = new URL(`?open=${PEACE_ID}#${id}`, baseUrl()).href;

  await select(page, 'sergei-lavrov', PHRASE);
  await page.getByTestId('copy-quote').click();
  await page.getByTestId('quote-status').filter({ hasText: 'Quote copied' }).waitFor();
  const accessed = await today(page);
  assert.equal(
    await clipboard(page),
    `“${PHRASE}”\n— Sergei Lavrov, "${PEACE_TITLE}", Novo-Ogaryovo, Moscow Region, 20 November 2020, 19:00. ` +
      `Stenogram: ${link} (accessed ${accessed}). Text: en.kremlin.ru, CC BY 4.0.`,
  );

  // The toolbar's buttons are real buttons, reachable with the keyboard.
  await page.getByTestId('copy-bibtex').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('quote-status').filter({ hasText: 'BibTeX copied' }).waitFor();
  const bib = await clipboard(page);
  assert.match(bib, /^@misc\{lavrov2020meeting,\n/);
  assert.ok(bib.includes('  author = {Sergei Lavrov},\n'), bib);
  assert.ok(bib.includes(`  title = {${PEACE_TITLE}},\n`), bib);
  assert.ok(bib.includes('  date = {2020-11-20},\n'), bib);
  assert.ok(bib.includes(`  howpublished = {\\url{${link.replace('#', '\\#')}}},\n`), bib);
  assert.ok(bib.includes(`  note = {\`\`${PHRASE}''. Novo-Ogaryovo, Moscow Region. Text: en.kremlin.ru, CC BY 4.0}\n`), bib);

  // Across paragraphs: one space between them. Into the next turn: cut at
  // the end of the turn where the selection starts.
  const paragraphs = await turn.locator('p:not(.turn-speaker)').allTextContents();
  const last = paragraphs.at(-1);
  await select(page, 'sergei-lavrov', 'Mr President, colleagues,', 'During these days');
  await page.getByTestId('copy-quote').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=quote-status]').textContent === 'Quote copied');
  assert.match(await clipboard(page), /^“Mr President, colleagues, During these days”\n— Sergei Lavrov,/);
  const nextTurn = turn.locator('xpath=following::*[@data-testid="turn"][1]');
  const nextStart = (await nextTurn.locator('p:not(.turn-speaker)').first().textContent()).slice(0, 12);
  await select(page, 'sergei-lavrov', last.slice(0, 20), nextStart);
  await page.getByTestId('copy-quote').click();
  await page.getByTestId('quote-status').filter({ hasText: 'Quote copied' }).waitFor();
  const cut = await clipboard(page);
  assert.ok(cut.startsWith(`“${last.replace(/\s+/g, ' ').trim()}”\n— Sergei Lavrov,`), cut);

  // Escape puts the toolbar away.
  await page.keyboard.press('Escape');
  await page.getByTestId('quote-toolbar').waitFor({ state: 'hidden' });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('when the Clipboard API refuses, the fallback copies; when both fail, the status says so', async () => {
  const page = await open(`?open=${PEACE_ID}`);
  await lavrovTurn(page).waitFor();
  const readText = () => page.evaluate(() => window.realReadText());
  await page.evaluate(async () => {
    const clipboard = navigator.clipboard;
    // Not what an earlier test left there.
    await clipboard.writeText('sentinel');
    window.realReadText = clipboard.readText.bind(clipboard);
    Object.defineProperty(clipboard, 'writeText', { value: () => Promise.reject(new Error('denied')) });
  });
  await select(page, 'sergei-lavrov', PHRASE);
  await page.getByTestId('copy-quote').click();
  await page.getByTestId('quote-status').filter({ hasText: 'Quote copied' }).waitFor();
  assert.ok((await readText()).startsWith(`“${PHRASE}”\n— Sergei Lavrov,`));
  // The reader's selection is put back after the fallback's text area.
  assert.equal(await page.evaluate(() => getSelection().toString()), PHRASE);

  await page.evaluate(() => {
    document.execCommand = () => false;
  });
  await page.getByTestId('copy-bibtex').click();
  await page.getByTestId('quote-status').filter({ hasText: 'Copying failed' }).waitFor();
  await page.context().close();
});

test('a selection outside any turn offers nothing to quote', async () => {
  const page = await open(`?open=${PEACE_ID}`);
  await lavrovTurn(page).waitFor();
  await page.evaluate(() => {
    const title = document.querySelector('[data-testid=event-title]');
    const range = document.createRange();
    range.selectNodeContents(title);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    title.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
  });
  await page.waitForTimeout(200);
  assert.equal(await page.getByTestId('quote-toolbar').isVisible(), false);
  await page.context().close();
});

test('exports the filtered events and the picked speaker\'s turns as CSV and JSON Lines', async () => {
  const page = await open('?speakers=sergei-lavrov');
  const cards = await page.getByTestId('event-card').count();
  const counted = Number((await page.getByTestId('result-count').textContent()).match(/^\d+/)[0]);
  assert.equal(cards, counted);

  const events = await exportFile(page, 'export-events-csv');
  assert.match(events.name, /^stenogram-events-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.equal(events.text.split('\r\n')[0], '\uFEFFid,date,time,title,place,speakers,topics,geography,turns,url');
  const rows = parseCsv(events.text.slice(1));
  assert.equal(rows.length - 1, counted);
  assert.equal(rows[1][0], PEACE_ID);
  assert.ok(rows[1][5].split('; ').includes('Sergei Lavrov'), rows[1][5]);
  assert.equal(rows[1][9], new URL(`?open=${PEACE_ID}`, baseUrl()).href);
  await page.getByTestId('export-status').filter({ hasText: 'Exported 1 event' }).waitFor();

  const jsonl = await exportFile(page, 'export-events-jsonl');
  assert.match(jsonl.name, /\.jsonl$/);
  const lines = jsonl.text.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, counted);
  assert.deepEqual(lines[0].speakers.includes('Sergei Lavrov'), true);

  // The picked speaker's turns, counted in the open transcript.
  await page.getByTestId('toggle-transcript').first().click();
  await lavrovTurn(page).waitFor();
  const theirTurns = await page.locator('[data-testid=turn][data-speaker=sergei-lavrov]').count();
  const turns = await exportFile(page, 'export-turns-csv');
  assert.match(turns.name, /^stenogram-turns-\d{4}-\d{2}-\d{2}\.csv$/);
  const turnRows = parseCsv(turns.text.slice(1));
  assert.deepEqual(turnRows[0], ['event_id', 'date', 'title', 'speaker_id', 'speaker', 'label', 'block', 'text', 'url']);
  assert.equal(turnRows.length - 1, theirTurns);
  assert.ok(turnRows.slice(1).every((r) => r[3] === 'sergei-lavrov' && r[4] === 'Sergei Lavrov'));
  assert.ok(turnRows[1][7].startsWith('Mr President, colleagues,\n\nDuring these days'), turnRows[1][7]);
  assert.match(turnRows[1][8], new RegExp(`#${PEACE_ID}--${turnRows[1][6]}$`));
  const turnsJsonl = await exportFile(page, 'export-turns-jsonl');
  assert.equal(turnsJsonl.text.trimEnd().split('\n').length, theirTurns);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

for (const colorScheme of ['light', 'dark']) {
  test(`no axe violations (${colorScheme}): linked turn, quote toolbar, export menu`, async () => {
    const page = await browser.newPage({ colorScheme, viewport: { width: 1280, height: 900 } });
    await page.goto(`${baseUrl()}?open=${PEACE_ID}`);
    const id = await lavrovTurn(page).getAttribute('id');
    await page.goto(`${baseUrl()}?open=${PEACE_ID}#${id}`);
    await page.reload();
    await page.waitForFunction((id) => document.getElementById(id)?.classList.contains('linked'), id);
    await page.getByTestId('export-menu').getByText('Export', { exact: true }).click();
    await select(page, 'sergei-lavrov', PHRASE);
    await page.evaluate(axeSource);
    // Only what this feature adds: a deep-linked page scrolled down has the
    // timeline's headers above it unmounted (virtualised), which axe's
    // page-wide heading-order rule reports; a11y.test.mjs covers the page.
    const result = await page.evaluate(() =>
      // eslint-disable-next-line no-undef
      axe.run(
        { include: [['.turn.linked'], ['[data-testid=quote-toolbar]'], ['[data-testid=export-menu]']] },
        { resultTypes: ['violations'] },
      ),
    );
    const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    assert.deepEqual(found, []);
    await page.close();
  });
}
