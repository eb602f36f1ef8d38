// The browser half of `cargo xtask bench`: serves one built site (gzip, as
// GitHub Pages does), drives headless Chromium through it and prints what it
// measured as one JSON object on stdout (progress goes to stderr).
//
//   node tests/browser/bench/run.mjs --site DIST [--paint-samples 5]
//        [--samples 20] [--out FILE] [--prefix /stenogram/]
//
// DIST is a release build (`cargo xtask build --public-url /stenogram/`)
// whose data/ folder holds the corpus under test. Which speakers and events
// to use is read from DIST/data/index.json (see pick.mjs). What each figure
// means and how it is taken is documented in BENCHMARKS.md; in short, every
// timing runs inside the page, from `performance.now()` just before the
// action (navigation start, or an element's `click()`) to the first task
// after the first animation frame whose DOM shows the result, i.e. once that
// frame has been rendered.
//
// Not a `*.test.mjs`: `node --test` (cargo xtask test) never runs it.

import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import { chromium } from 'playwright-core';

import { CHROMIUM_PATH } from '../harness.mjs';
import { startServer } from '../server.mjs';
import { appSizes, pickTargets } from './pick.mjs';
import { INSTRUMENT } from './instrument.mjs';

const { values: args } = parseArgs({
  options: {
    site: { type: 'string' },
    prefix: { type: 'string', default: '/stenogram/' },
    'paint-samples': { type: 'string', default: '5' },
    samples: { type: 'string', default: '20' },
    out: { type: 'string' },
    // Development only (cargo xtask bench always runs everything): a comma
    // list of paint, memory, filter, open, scroll, search; the others are
    // skipped and their keys are null.
    only: { type: 'string' },
  },
});
const ONLY = args.only ? new Set(args.only.split(',')) : null;
const wanted = (part) => !ONLY || ONLY.has(part);
if (!args.site) {
  console.error(
    'usage: node tests/browser/bench/run.mjs --site DIST [--paint-samples 5] [--samples 20] [--out FILE]',
  );
  process.exit(2);
}
const PAINT_SAMPLES = positive(args['paint-samples']);
const SAMPLES = positive(args.samples);
const VIEWPORT = { width: 1280, height: 800 };
/** Longest a single measured step may take before the run fails. */
const STEP_TIMEOUT_MS = 120_000;

/**
 * The search queries, typed as a user would (the app's query language):
 * words that occur in the dev set (and so in the generated corpus), two
 * phrases, a prefix still being typed, an exclusion. `kind` groups them in
 * the report; the 150 kB target is about the single words.
 */
const SEARCH_QUERIES = [
  { text: 'sanctions', kind: 'word' },
  { text: 'economy', kind: 'word' },
  { text: 'inflation', kind: 'word' },
  { text: 'pension', kind: 'word' },
  { text: 'Syria', kind: 'word' },
  { text: 'terrorism', kind: 'word' },
  { text: 'investment', kind: 'word' },
  { text: 'agriculture', kind: 'word' },
  { text: 'healthcare', kind: 'word' },
  { text: 'Crimea', kind: 'word' },
  { text: 'nuclear', kind: 'word' },
  { text: 'digital', kind: 'word' },
  { text: 'corruption', kind: 'word' },
  { text: 'education', kind: 'word' },
  { text: 'pipeline', kind: 'word' },
  { text: 'gas', kind: 'word' },
  { text: '"climate change"', kind: 'phrase' },
  { text: '"United States"', kind: 'phrase' },
  { text: 'sanc', kind: 'prefix' },
  { text: 'oil -gas', kind: 'exclusion' },
];

function positive(text) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`not a positive integer: ${text}`);
  return n;
}

const log = (...parts) => console.error('bench:', ...parts);

// ---------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Median: the mean of the two middle values for an even count. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round1 = (x) => (x == null ? null : Math.round(x * 10) / 10);

function summary(values) {
  return {
    median: round1(median(values)),
    p95: round1(percentile(values, 95)),
    min: round1(Math.min(...values)),
    max: round1(Math.max(...values)),
    samples: values.map(round1),
  };
}

// ---------------------------------------------------------------------------
// Browser
// ---------------------------------------------------------------------------

async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      // performance.memory with exact (not bucketed) sizes.
      '--enable-precise-memory-info',
    ],
  });
}

/** A fresh context (empty HTTP cache, no service worker) and page. */
async function freshPage(browser) {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: VIEWPORT });
  await context.addInitScript(INSTRUMENT);
  const page = await context.newPage();
  page.benchErrors = [];
  page.on('pageerror', (e) => page.benchErrors.push(String(e.message ?? e)));
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  return page;
}

async function closePage(page) {
  await page.context().close();
}

/** Loads `url` in `page` and waits for the first frame with an event card. */
async function loadToFirstPaint(page, url) {
  await page.goto(url, { waitUntil: 'commit' });
  const failed = await waitForCards(page);
  if (failed) throw new Error(`${url}: the app shows an error instead of the timeline: ${failed}`);
  return page.evaluate(() => window.__bench.firstPaintReport());
}

/**
 * Waits for the first rendered frame with an event card; returns the text of
 * the app's error message instead if it shows one (a bundle it cannot read).
 */
async function waitForCards(page) {
  // An uncaught error (a panic in the app) before the first card: fail now,
  // not after the timeout.
  let onError;
  const crashed = new Promise((_, reject) => {
    onError = (e) => reject(new Error(`the page threw before its first event card: ${e.message ?? e}`));
    page.once('pageerror', onError);
  });
  try {
    return await Promise.race([cardsOrErrorState(page), crashed]);
  } finally {
    page.off('pageerror', onError);
  }
}

async function cardsOrErrorState(page) {
  const handle = await page.waitForFunction(
    () => {
      if (window.__bench?.firstPaint != null) return { ok: true };
      const error = document.querySelector('[data-testid=error-state]');
      return error ? { ok: false, text: error.textContent.trim() } : null;
    },
    null,
    { polling: 50, timeout: STEP_TIMEOUT_MS },
  );
  const outcome = await handle.jsonValue();
  return outcome.ok ? null : outcome.text;
}

/** Waits until no request is in flight for `quietMs` (bounded). */
async function settle(page, quietMs = 500) {
  await page.waitForLoadState('load');
  await page.evaluate(
    (quiet) =>
      new Promise((done) => {
        let last = performance.getEntriesByType('resource').length;
        let since = performance.now();
        const started = performance.now();
        const check = () => {
          const now = performance.getEntriesByType('resource').length;
          if (now !== last) {
            last = now;
            since = performance.now();
          }
          if (performance.now() - since >= quiet || performance.now() - started > 10_000) done();
          else setTimeout(check, 50);
        };
        check();
      }),
    quietMs,
  );
}

// ---------------------------------------------------------------------------
// Measurements
// ---------------------------------------------------------------------------

async function measureFirstPaint(browser, base) {
  const times = [];
  const bytes = [];
  const requests = [];
  let last;
  for (let i = 0; i < PAINT_SAMPLES; i++) {
    const page = await freshPage(browser);
    const report = await loadToFirstPaint(page, base);
    times.push(report.firstPaint);
    bytes.push(report.transferBytes);
    requests.push(report.requests.length);
    log(`first paint ${i + 1}/${PAINT_SAMPLES}: ${report.firstPaint.toFixed(0)} ms, ${report.transferBytes} bytes in ${report.requests.length} requests`);
    last = report;
    await closePage(page);
  }
  return { times, bytes, requests, last };
}

/** JS heap and wasm memory of a page after load, after a forced GC. */
async function measureMemory(browser, base) {
  const page = await freshPage(browser);
  await loadToFirstPaint(page, base);
  await settle(page, 1000);
  const cdp = await page.context().newCDPSession(page);
  const before = await cdp.send('Runtime.getHeapUsage');
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const after = await cdp.send('Runtime.getHeapUsage');
  const inPage = await page.evaluate(() => ({
    wasmBytes: window.__bench.wasmMemory?.buffer.byteLength ?? null,
    usedJSHeapSize: performance.memory?.usedJSHeapSize ?? null,
    totalJSHeapSize: performance.memory?.totalJSHeapSize ?? null,
    domNodes: document.getElementsByTagName('*').length,
  }));
  const errors = page.benchErrors;
  await closePage(page);
  return {
    jsHeapUsedBeforeGc: before.usedSize,
    jsHeapUsed: after.usedSize,
    jsHeapTotal: after.totalSize,
    wasmBytes: inPage.wasmBytes,
    perfMemoryUsed: inPage.usedJSHeapSize,
    domNodes: inPage.domNodes,
    errors,
  };
}

/**
 * Speaker filter: type the name in the search (untimed), then `samples`
 * times: click the option (timed until the frame after the result count or
 * the visible cards changed), click it again to clear (untimed).
 */
async function measureFilter(page, base, speaker) {
  await loadToFirstPaint(page, base);
  await settle(page);
  const option = `[data-testid="speaker-option-${speaker.id}"]`;
  await page.locator('[data-testid=speaker-search]').fill(speaker.name);
  await page.locator(option).first().waitFor({ state: 'attached' });
  const baseline = await page.evaluate(() => window.__bench.resultCount());
  const times = [];
  const sync = [];
  for (let i = 0; i < SAMPLES; i++) {
    const result = await page.evaluate(
      ([selector]) => window.__bench.timedClick(selector, { kind: 'view-changed' }),
      [option],
    );
    times.push(result.ms);
    sync.push(result.syncMs);
    // Clear the filter again, untimed: the same option if it is still there,
    // else the "clear" button; if the count is not back to where it was,
    // reload and type the search again.
    const back = await page.evaluate(
      ([selector, baseline]) => {
        const target = document.querySelector(selector)
          ? selector
          : document.querySelector('[data-testid=clear-filter]')
            ? '[data-testid=clear-filter]'
            : null;
        if (!target) return false;
        return window.__bench
          .timedClick(target, { kind: 'view-changed' })
          .then(() => window.__bench.resultCount() === baseline);
      },
      [option, baseline],
    );
    if (!back) {
      await loadToFirstPaint(page, base);
      await page.locator('[data-testid=speaker-search]').fill(speaker.name);
      await page.locator(option).first().waitFor({ state: 'attached' });
    }
    await page.waitForTimeout(50);
  }
  log(`filter ${speaker.id} (${speaker.event_count} events): median ${median(times).toFixed(1)} ms`);
  return { times, sync };
}

/**
 * Opening a transcript: `samples` fresh loads of the event's day
 * (`?from=D&to=D`, so its card is on screen); each time the first open is
 * timed (it fetches the event's shard: "cold"), then close, then a second
 * open ("warm", shard already in memory).
 */
async function measureOpen(browser, base, event) {
  const cold = [];
  const warm = [];
  const url = `${base}?from=${event.date}&to=${event.date}`;
  for (let i = 0; i < SAMPLES; i++) {
    const page = await freshPage(browser);
    await loadToFirstPaint(page, url);
    await settle(page, 300);
    const button = await page.evaluate(
      ({ id, title }) => window.__bench.markCard(id, title),
      { id: event.id, title: event.title },
    );
    if (!button) throw new Error(`no card for event ${event.id} (${event.title}) at ${url}`);
    const first = await page.evaluate((sel) => window.__bench.timedClick(sel, { kind: 'turn-shown' }), button);
    cold.push(first.ms);
    await page.evaluate((sel) => window.__bench.timedClick(sel, { kind: 'turn-gone' }), button);
    await page.waitForTimeout(50);
    const second = await page.evaluate((sel) => window.__bench.timedClick(sel, { kind: 'turn-shown' }), button);
    warm.push(second.ms);
    await closePage(page);
  }
  log(`open ${event.id} (${event.turns} turns): cold median ${median(cold).toFixed(1)} ms, warm ${median(warm).toFixed(1)} ms`);
  return { cold, warm };
}

/** Scrolls the whole timeline, one big step per animation frame. */
async function measureScroll(browser, base) {
  const page = await freshPage(browser);
  await loadToFirstPaint(page, base);
  await settle(page, 1000);
  const result = await page.evaluate(() => window.__bench.scrollThrough({ targetFrames: 1500, maxMs: 90_000 }));
  const errors = page.benchErrors;
  await closePage(page);
  log(`scroll: ${result.frames} frames, ${result.droppedFrames} dropped, ${result.longTasks.length} long tasks`);
  return { ...result, errors };
}


// ---------------------------------------------------------------------------
// Full-text search
// ---------------------------------------------------------------------------

/** Loads the page and waits for a usable search box; returns why not, or null. */
async function loadForSearch(page, base) {
  await loadToFirstPaint(page, base);
  await settle(page);
  try {
    await page.waitForFunction(() => window.__bench.searchUsable(), null, { polling: 50, timeout: 10_000 });
  } catch {
    const why = await page.evaluate(() => {
      const input = document.querySelector('[data-testid=text-search]');
      if (!input) return 'the page has no [data-testid=text-search]';
      if (input.disabled) return 'the search box is disabled (no search index?)';
      return 'the page has no [data-testid=search-status]';
    });
    return why;
  }
  return null;
}

const typeSearch = (page, value, focus = false) =>
  page.evaluate(([v, f]) => window.__bench.timedSearchInput(v, { focus: f }), [value, focus]);

const sumTransfer = (requests) => requests.reduce((n, r) => n + (r.transfer ?? 0), 0);

/**
 * Cold query, in a fresh context (empty cache): after first paint and a
 * quiet network, focus the box, set the whole query and dispatch `input`
 * (timed from just before the focus, which fetches the index's directory)
 * until the frame showing its results; then, once the network is quiet
 * again, the search-index and shard requests started since. Warm, same
 * page: clear the box, set the query again, same figures.
 */
async function searchColdWarm(browser, base, query) {
  const page = await freshPage(browser);
  try {
    const unusable = await loadForSearch(page, base);
    if (unusable) return { unusable };
    const cold = await typeSearch(page, query.text, true);
    await settle(page, 500);
    const coldReq = await page.evaluate((t0) => window.__bench.dataRequests(t0), cold.t0);
    await typeSearch(page, '');
    await page.waitForTimeout(100);
    const warm = await typeSearch(page, query.text);
    await settle(page, 300);
    const warmReq = await page.evaluate((t0) => window.__bench.dataRequests(t0), warm.t0);
    return { cold, coldReq, warm, warmReq, errors: page.benchErrors };
  } finally {
    await closePage(page);
  }
}

/**
 * Types `text` into the box one character at a time: each keystroke sets
 * the growing value and dispatches `input`, timed until the frame showing
 * that value's results (or the idle status, for a text that is no query
 * yet); the next keystroke follows once it is shown. Returns each
 * keystroke with the search-index requests it started.
 */
async function typeByCharacter(page, text) {
  const keys = [];
  const chars = [...text];
  for (let i = 1; i <= chars.length; i++) {
    const value = chars.slice(0, i).join('');
    const r = await typeSearch(page, value);
    keys.push({ value, ms: r.ms, t0: r.t0, state: r.status?.state ?? null });
  }
  await settle(page, 300);
  for (let i = 0; i < keys.length; i++) {
    const until = i + 1 < keys.length ? keys[i + 1].t0 : Infinity;
    const req = await page.evaluate(([t0, u]) => window.__bench.dataRequests(t0, u ?? Infinity), [keys[i].t0, until === Infinity ? null : until]);
    keys[i].searchRequests = req.search.length;
    keys[i].searchBytes = sumTransfer(req.search);
  }
  return keys;
}

/** Cold keystrokes: a fresh context per query, the box focused (directory fetched) before typing. */
async function keystrokesCold(browser, base, query) {
  const page = await freshPage(browser);
  try {
    const unusable = await loadForSearch(page, base);
    if (unusable) return { unusable };
    await page.evaluate(() => window.__bench.focusSearch());
    await settle(page, 500);
    const keys = await typeByCharacter(page, query.text);
    return { keys, errors: page.benchErrors };
  } finally {
    await closePage(page);
  }
}

/**
 * Warm keystrokes: one page; every query is run once (whole text), then
 * each is typed again character by character after clearing the box.
 */
async function keystrokesWarm(browser, base) {
  const page = await freshPage(browser);
  try {
    const unusable = await loadForSearch(page, base);
    if (unusable) return { unusable };
    await page.evaluate(() => window.__bench.focusSearch());
    for (const q of SEARCH_QUERIES) {
      await typeSearch(page, q.text);
      await settle(page, 300);
    }
    const keys = [];
    for (const q of SEARCH_QUERIES) {
      await typeSearch(page, '');
      await page.waitForTimeout(50);
      for (const k of await typeByCharacter(page, q.text)) keys.push({ query: q.text, ...k });
    }
    return { keys, errors: page.benchErrors };
  } finally {
    await closePage(page);
  }
}

/** Keystroke figures: all of them, and those that fetched nothing. */
function keystrokeSummary(keys) {
  const times = keys.map((k) => k.ms);
  const fetching = keys.filter((k) => k.searchRequests > 0);
  const local = keys.filter((k) => k.searchRequests === 0).map((k) => k.ms);
  return {
    keystrokes: keys.length,
    ...summary(times),
    samples: undefined,
    // Texts that are no query yet (a lone quote): their figure is the idle status.
    ended_idle: keys.filter((k) => k.state === 'idle').map((k) => k.value),
    keystrokes_fetching: fetching.length,
    fetching_ms_median: fetching.length ? round1(median(fetching.map((k) => k.ms))) : null,
    no_fetch_ms_median: local.length ? round1(median(local)) : null,
    no_fetch_ms_p95: local.length ? round1(percentile(local, 95)) : null,
    slowest: [...keys]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5)
      .map((k) => ({ value: k.value, ms: round1(k.ms), search_requests: k.searchRequests })),
  };
}

/**
 * The search figures (see BENCHMARKS.md, "Search"); the keys are null with
 * a `note` when the site has no search index or no usable search box, and
 * a query that fails is listed under `errors` (the medians are taken over
 * the others).
 */
async function measureSearch(browser, base, index) {
  const nulls = {
    search_cold_query_bytes_median: null,
    search_cold_query_requests_median: null,
    search_keystroke_ms_median: null,
    search_keystroke_ms_p95: null,
  };
  if (!index) {
    log('search: the site has no search index (index.json: search is null); search keys are null');
    return { keys: nulls, details: { index: null, note: 'the site was built without a search index (index.json: "search": null)' }, errors: [] };
  }
  const errors = [];
  const pageErrors = [];
  const failures = [];
  const perQuery = [];
  let unusable = null;
  for (const q of SEARCH_QUERIES) {
    try {
      const r = await searchColdWarm(browser, base, q);
      if (r.unusable) {
        unusable = r.unusable;
        break;
      }
      pageErrors.push(...r.errors);
      const row = {
        query: q.text,
        kind: q.kind,
        status: r.cold.status?.text ?? null,
        result_count: r.cold.resultCount,
        cold_ms: round1(r.cold.ms),
        cold_bytes: sumTransfer(r.coldReq.search),
        cold_requests: r.coldReq.search.length,
        cold_snippet_bytes: sumTransfer(r.coldReq.shards),
        cold_snippet_requests: r.coldReq.shards.length,
        cold_search_requests: r.coldReq.search,
        warm_ms: round1(r.warm.ms),
        warm_bytes: sumTransfer(r.warmReq.search),
        warm_requests: r.warmReq.search.length,
        warm_snippet_bytes: sumTransfer(r.warmReq.shards),
      };
      perQuery.push(row);
      log(`search ${JSON.stringify(q.text)}: cold ${row.cold_ms} ms, ${row.cold_bytes} bytes in ${row.cold_requests} requests (+${row.cold_snippet_bytes} shard bytes); warm ${row.warm_ms} ms, ${row.warm_requests} requests`);
    } catch (e) {
      failures.push({ query: q.text, phase: 'cold/warm query', error: String(e.message ?? e) });
      log(`search ${JSON.stringify(q.text)} failed: ${e.message ?? e}`);
    }
  }
  if (unusable) {
    log(`search: ${unusable}; search keys are null`);
    return { keys: nulls, details: { index, note: unusable }, errors: pageErrors };
  }

  const coldKeys = [];
  for (const q of SEARCH_QUERIES) {
    try {
      const r = await keystrokesCold(browser, base, q);
      if (r.unusable) throw new Error(r.unusable);
      pageErrors.push(...r.errors);
      coldKeys.push(...r.keys.map((k) => ({ query: q.text, ...k })));
    } catch (e) {
      failures.push({ query: q.text, phase: 'cold keystrokes', error: String(e.message ?? e) });
      log(`search keystrokes (cold) ${JSON.stringify(q.text)} failed: ${e.message ?? e}`);
    }
  }
  let warmKeys = [];
  try {
    const r = await keystrokesWarm(browser, base);
    if (r.unusable) throw new Error(r.unusable);
    pageErrors.push(...r.errors);
    warmKeys = r.keys;
  } catch (e) {
    failures.push({ query: null, phase: 'warm keystrokes', error: String(e.message ?? e) });
    log(`search keystrokes (warm) failed: ${e.message ?? e}`);
  }

  const med = (rows, key) => (rows.length ? round1(median(rows.map((r) => r[key]))) : null);
  const group = (rows) =>
    rows.length
      ? {
          queries: rows.length,
          cold_bytes_median: med(rows, 'cold_bytes'),
          cold_bytes_max: Math.max(...rows.map((r) => r.cold_bytes)),
          cold_requests_median: med(rows, 'cold_requests'),
          cold_ms_median: med(rows, 'cold_ms'),
          warm_ms_median: med(rows, 'warm_ms'),
        }
      : null;
  const words = perQuery.filter((r) => r.kind === 'word');
  const warmS = warmKeys.length ? keystrokeSummary(warmKeys) : null;
  const coldS = coldKeys.length ? keystrokeSummary(coldKeys) : null;
  log(
    `search: cold median ${med(perQuery, 'cold_bytes')} bytes in ${med(perQuery, 'cold_requests')} requests;`,
    `keystroke warm median ${warmS?.median} ms, p95 ${warmS?.p95} ms; cold median ${coldS?.median} ms`,
  );
  return {
    keys: {
      search_cold_query_bytes_median: med(perQuery, 'cold_bytes'),
      search_cold_query_requests_median: med(perQuery, 'cold_requests'),
      search_keystroke_ms_median: warmS?.median ?? null,
      search_keystroke_ms_p95: warmS?.p95 ?? null,
    },
    details: {
      index,
      queries: SEARCH_QUERIES.length,
      queries_measured: perQuery.length,
      search_cold_snippet_bytes_median: med(perQuery, 'cold_snippet_bytes'),
      search_cold_snippet_requests_median: med(perQuery, 'cold_snippet_requests'),
      cold_ms_median: med(perQuery, 'cold_ms'),
      cold_ms_p95: perQuery.length ? round1(percentile(perQuery.map((r) => r.cold_ms), 95)) : null,
      warm_query_ms_median: med(perQuery, 'warm_ms'),
      warm_query_bytes_median: med(perQuery, 'warm_bytes'),
      warm_query_requests_median: med(perQuery, 'warm_requests'),
      single_word: group(words),
      by_kind: Object.fromEntries(
        [...new Set(perQuery.map((r) => r.kind))].map((kind) => [kind, group(perQuery.filter((r) => r.kind === kind))]),
      ),
      keystroke_warm: warmS,
      keystroke_cold: coldS,
      per_query: perQuery,
      failures,
    },
    errors: pageErrors,
  };
}

// ---------------------------------------------------------------------------

async function main() {
  const site = resolve(args.site);
  const targets = await pickTargets(site);
  const app = await appSizes(site);
  log(
    `${targets.events} events; heavy ${targets.heavy.id} (${targets.heavy.event_count} events),`,
    `rare ${targets.rare.id} (${targets.rare.event_count}); short ${targets.short.id}`,
    `(${targets.short.turns} turns), largest ${targets.largest.id} (${targets.largest.turns} turns)`,
  );

  const server = await startServer({ root: site, prefix: args.prefix, gzip: true });
  const base = server.url;
  const browser = await launch();
  const errors = [];
  try {
    // Warm-up, untimed: the server compresses each file once, the OS caches.
    {
      const page = await freshPage(browser);
      await loadToFirstPaint(page, base);
      await settle(page);
      errors.push(...page.benchErrors);
      await closePage(page);
    }
    const skipped = { times: [], bytes: [], requests: [], last: { requests: [] }, errors: [], sync: [], cold: [], warm: [], longTasks: [], keys: {}, details: null };
    const paint = wanted('paint') ? await measureFirstPaint(browser, base) : skipped;
    const memory = wanted('memory') ? await measureMemory(browser, base) : { ...skipped, jsHeapUsed: null };
    errors.push(...memory.errors);

    let heavy = skipped;
    let rare = skipped;
    if (wanted('filter')) {
      const filterPage = await freshPage(browser);
      heavy = await measureFilter(filterPage, base, targets.heavy);
      rare = await measureFilter(filterPage, base, targets.rare);
      errors.push(...filterPage.benchErrors);
      await closePage(filterPage);
    }

    const short = wanted('open') ? await measureOpen(browser, base, targets.short) : skipped;
    const largest = wanted('open') ? await measureOpen(browser, base, targets.largest) : skipped;
    const scroll = wanted('scroll') ? await measureScroll(browser, base) : { ...skipped, longTasks: null };
    errors.push(...scroll.errors);
    const search = wanted('search') ? await measureSearch(browser, base, targets.search) : skipped;
    errors.push(...search.errors);

    const mb = (bytes) => (bytes == null ? null : round1(bytes / 1e6));
    const memoryBytes = memory.jsHeapUsed == null ? null : memory.jsHeapUsed + (memory.wasmBytes ?? 0);
    const heavyS = summary(heavy.times);
    const rareS = summary(rare.times);
    const shortS = summary(short.cold);
    const largestS = summary(largest.cold);
    const result = {
      events: targets.events,
      // The listed keys: worst of the measured cases where there are two.
      first_paint_ms: round1(median(paint.times)),
      first_paint_bytes_gz: Math.round(median(paint.bytes)),
      app_bytes_gz: app.wasmGz + app.jsGz,
      filter_ms_median: Math.max(heavyS.median, rareS.median),
      filter_ms_p95: Math.max(heavyS.p95, rareS.p95),
      open_transcript_ms_median: Math.max(shortS.median, largestS.median),
      open_transcript_ms_p95: Math.max(shortS.p95, largestS.p95),
      memory_mb: mb(memoryBytes),
      scroll_long_tasks: scroll.longTasks?.length ?? null,
      ...search.keys,
      // Details.
      first_paint: { ...summary(paint.times), requests: paint.requests, bytes: paint.bytes },
      first_paint_requests: paint.last.requests,
      app: {
        wasm_file: app.wasm,
        wasm_bytes: app.wasmRaw,
        wasm_bytes_gz: app.wasmGz,
        js_file: app.js,
        js_bytes: app.jsRaw,
        js_bytes_gz: app.jsGz,
      },
      data_layout: targets.layout,
      data: targets.data,
      filter_heavy: { speaker: targets.heavy.id, speaker_events: targets.heavy.event_count, ...heavyS, click_handler_ms_median: round1(median(heavy.sync)) },
      filter_rare: { speaker: targets.rare.id, speaker_events: targets.rare.event_count, ...rareS, click_handler_ms_median: round1(median(rare.sync)) },
      open_short: { event: targets.short.id, turns: targets.short.turns, ...shortS, warm: summary(short.warm) },
      open_largest: { event: targets.largest.id, turns: targets.largest.turns, ...largestS, warm: summary(largest.warm) },
      memory: {
        js_heap_used_mb: mb(memory.jsHeapUsed),
        js_heap_used_before_gc_mb: mb(memory.jsHeapUsedBeforeGc),
        js_heap_total_mb: mb(memory.jsHeapTotal),
        wasm_memory_mb: mb(memory.wasmBytes),
        performance_memory_used_mb: mb(memory.perfMemoryUsed),
        dom_nodes: memory.domNodes,
      },
      scroll: {
        px: scroll.px,
        seconds: round1(scroll.ms / 1000),
        frames: scroll.frames,
        frame_interval_ms: round1(scroll.frameIntervalMs),
        dropped_frames: scroll.droppedFrames,
        long_tasks_ms: scroll.longTasks?.map(round1) ?? null,
        reached_bottom: scroll.reachedBottom,
        cards_seen: scroll.cardsSeen,
      },
      search: search.details,
      chromium: browser.version(),
      page_errors: [...new Set(errors)],
    };
    const json = JSON.stringify(result, null, 2);
    if (args.out) await writeFile(args.out, json + '\n');
    process.stdout.write(json + '\n');
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((err) => {
  console.error('bench: failed:', err.stack ?? err);
  process.exit(1);
});
