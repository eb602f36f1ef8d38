// A hostile corpus: HTML, <script>, javascript: URLs and event handlers in
// titles, labels, places, topics and transcript text. The real parser turns
// tests/fixtures/hostile/ into a bundle, which is served in place of the
// site's own data; everything must show as literal text and nothing may run.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, baseUrl } from './harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let browser;
let bundle;

before(async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'stenogram-hostile-')), 'corpus.json');
  execFileSync(
    'cargo',
    ['run', '--quiet', '-p', 'stenogram-corpus', '--', 'bundle', '--out', out, 'tests/fixtures/hostile'],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  bundle = readFileSync(out, 'utf8');
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('HTML and scripts in the corpus show as literal text and never run', async () => {
  const page = await browser.newPage();
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await page.route('**/data/corpus.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: bundle }),
  );
  await page.goto(baseUrl());
  const card = page.getByTestId('event-card').first();
  await card.waitFor();

  // Title and place: the markup is visible as characters.
  assert.equal(
    await page.getByTestId('event-title').first().textContent(),
    '<script>window.__pwned = 1</script><b>Bold</b> title & more',
  );
  assert.match(await card.textContent(), /Kremlin <i>Hall<\/i>, Moscow/);
  assert.match(await card.textContent(), /<svg onload="window.__pwned=5">Topic<\/svg>/);

  // The transcript: label and text are text, the link is not a link.
  await card.getByTestId('toggle-transcript').click();
  const transcript = page.getByTestId('transcript').first();
  await transcript.waitFor();
  const text = await transcript.textContent();
  assert.ok(text.includes('<script>window.__pwned = 3</script>Hello & welcome'), text);
  assert.ok(text.includes('<a href="javascript:window.__pwned=4">click me</a>'), text);
  assert.ok(text.includes('&lt;escaped&gt;'), 'entities are not decoded: ' + text);
  assert.ok(text.includes('Minister of <script>window.__pwned=6</script> Affairs'), text);

  // No element came from the corpus, no handler ran.
  assert.equal(await page.locator('main script, main b, main i, main u, main svg, main img, main a[href^="javascript:"]').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(dialogs, []);
  await page.close();
});
