// The in-page half of the benchmark: an init script (installed before any
// of the site's own scripts run) that defines `window.__bench`.
//
// Every timing ends at "the frame that shows it has been rendered": the
// condition is checked in each animation frame (and on every DOM mutation);
// once true, the end time is taken in a task posted from an animation-frame
// callback, which runs after that frame's style, layout and paint on the
// main thread.

function instrument() {
  const bench = {
    /** ms from navigation start to the first rendered frame with an event card. */
    firstPaint: null,
    /** The app's WebAssembly.Memory (from Trunk's `TrunkApplicationStarted`). */
    wasmMemory: null,
  };
  window.__bench = bench;
  // Keep every resource entry, however many shards a session fetches.
  performance.setResourceTimingBufferSize?.(10_000);

  // Trunk 0.21's loader: `dispatchEvent(new CustomEvent("TrunkApplicationStarted",
  // {detail: {wasm}}))`, where `wasm` is the instance's exports (with `memory`).
  addEventListener('TrunkApplicationStarted', (event) => {
    bench.wasmMemory = event.detail?.wasm?.memory ?? null;
  });

  /** Runs `fn` in a task after the current frame's rendering. */
  const afterThisFrame = (fn) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => fn();
    channel.port2.postMessage(null);
  };

  const CARD = '[data-testid=event-card]';

  // First paint: poll in every animation frame from the very first one.
  const poll = () => {
    if (document.querySelector(CARD)) {
      afterThisFrame(() => {
        bench.firstPaint = performance.now();
        performance.mark('bench-first-paint');
      });
      return;
    }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);

  /** Bytes received before first paint, by the Resource Timing API. */
  bench.firstPaintReport = () => {
    const end = bench.firstPaint;
    const entries = [
      ...performance.getEntriesByType('navigation'),
      ...performance.getEntriesByType('resource'),
    ].filter((e) => e.responseEnd > 0 && e.responseEnd <= end);
    const sum = (key) => entries.reduce((n, e) => n + (e[key] ?? 0), 0);
    return {
      firstPaint: end,
      transferBytes: sum('transferSize'),
      encodedBytes: sum('encodedBodySize'),
      decodedBytes: sum('decodedBodySize'),
      requests: entries.map((e) => ({
        path: new URL(e.name).pathname,
        transfer: e.transferSize,
        encoded: e.encodedBodySize,
        decoded: e.decodedBodySize,
        start_ms: Math.round(e.startTime),
        end_ms: Math.round(e.responseEnd),
      })),
    };
  };

  bench.resultCount = () => document.querySelector('[data-testid=result-count]')?.textContent ?? '';

  /** What a filter changes: the count and the cards on screen. */
  const viewState = () =>
    bench.resultCount() +
    '|' +
    Array.from(document.querySelectorAll(CARD), (c) => c.dataset.eventId).join(',');

  const turnShown = () =>
    Array.from(document.querySelectorAll('[data-testid=transcript] [data-testid=turn]')).some(
      (t) => t.textContent.trim().length > 0,
    );
  const transcriptGone = () => !document.querySelector('[data-testid=transcript]');

  /**
   * Runs `action` and resolves with `{ ms, syncMs, t0 }`: ms from just
   * before `action()` to after the first rendered frame in which
   * `done(inFrame)` holds; syncMs is how long `action()` itself ran (the
   * app's synchronous event handlers); t0 is the start, on the page's
   * clock. `done` is checked in every animation frame (`inFrame` true: the
   * app's effects, which run as microtasks, have all run by then) and on
   * every DOM mutation (`inFrame` false). `failed()`, checked in frames,
   * returns a message to stop with.
   */
  const timedAction = (action, { done, failed, what, timeoutMs = 60_000 }) =>
    new Promise((resolve, reject) => {
      let finished = false;
      let observer;
      const finish = (result, error) => {
        if (finished) return;
        finished = true;
        observer?.disconnect();
        if (error) reject(error);
        else resolve(result);
      };
      let t0 = 0;
      let syncMs = 0;
      const end = () => finish({ ms: performance.now() - t0, syncMs, t0 });
      // Checked in a frame: that frame shows it. Checked on a mutation:
      // the next frame does.
      let pending = false;
      const check = (inFrame) => {
        if (finished || pending || !done(inFrame)) return;
        pending = true;
        if (inFrame) afterThisFrame(end);
        else requestAnimationFrame(() => afterThisFrame(end));
      };
      observer = new MutationObserver(() => check(false));
      observer.observe(document.documentElement, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
      const frame = () => {
        if (finished || pending) return;
        if (performance.now() - t0 > timeoutMs) {
          finish(null, new Error(`${what}: not seen within ${timeoutMs} ms`));
          return;
        }
        const message = failed?.();
        if (message) {
          finish(null, new Error(`${what}: ${message}`));
          return;
        }
        check(true);
        requestAnimationFrame(frame);
      };
      t0 = performance.now();
      try {
        action();
      } catch (e) {
        finish(null, e);
        return;
      }
      syncMs = performance.now() - t0;
      requestAnimationFrame(frame);
    });

  /**
   * Clicks `selector` and resolves with `{ ms, syncMs }`: ms from just
   * before `click()` to after the first rendered frame in which the
   * condition holds; syncMs is how long `click()` itself ran (the app's
   * synchronous event handler).
   */
  bench.timedClick = (selector, { kind, timeoutMs = 60_000 }) => {
    const el = document.querySelector(selector);
    if (!el) return Promise.reject(new Error(`no element ${selector}`));
    let done;
    if (kind === 'view-changed') {
      const before = viewState();
      done = () => viewState() !== before;
    } else if (kind === 'turn-shown') {
      done = turnShown;
    } else if (kind === 'turn-gone') {
      done = transcriptGone;
    } else {
      return Promise.reject(new Error(`unknown kind ${kind}`));
    }
    return timedAction(() => el.click(), { done, what: `${kind} after clicking ${selector}`, timeoutMs });
  };

  // -------------------------------------------------------------------------
  // Full-text search
  // -------------------------------------------------------------------------

  const SEARCH_INPUT = '[data-testid=text-search]';
  const SEARCH_STATUS = '[data-testid=search-status]';

  /** The status line: `data-state`, `data-for` (the text whose results are shown), its text. */
  bench.searchStatus = () => {
    const s = document.querySelector(SEARCH_STATUS);
    if (!s) return null;
    return { state: s.dataset.state ?? null, for: s.dataset.for ?? null, text: s.textContent.trim() };
  };

  /** Is there a search box the user can type in? */
  bench.searchUsable = () => {
    const input = document.querySelector(SEARCH_INPUT);
    return !!input && !input.disabled && !!document.querySelector(SEARCH_STATUS);
  };

  /** Focuses the search box (which fetches the index's directory). */
  bench.focusSearch = () => document.querySelector(SEARCH_INPUT)?.focus();

  /**
   * Sets the search box to `value` as typing does (optionally focusing it
   * first, inside the timed action) and dispatches `input`; resolves with
   * `{ ms, syncMs, t0, status, resultCount }` once a rendered frame shows
   * the results of exactly `value`: `data-state=ready` and
   * `data-for=value`, or, for a text that is not a query yet (empty, a lone
   * quote or minus), `data-state=idle` with no `data-for` (accepted in frames only, after the
   * app's effects have run, so the idle state from before the input does
   * not count). `failed` or `unavailable` stops with an error.
   */
  bench.timedSearchInput = (value, { focus = false, timeoutMs = 60_000 } = {}) => {
    const input = document.querySelector(SEARCH_INPUT);
    if (!input) return Promise.reject(new Error(`no element ${SEARCH_INPUT}`));
    const done = (inFrame) => {
      const s = bench.searchStatus();
      if (!s) return false;
      return (s.state === 'ready' && s.for === value) || (inFrame && s.state === 'idle' && !s.for);
    };
    const failed = () => {
      const s = bench.searchStatus();
      return s && (s.state === 'failed' || s.state === 'unavailable')
        ? `status ${s.state}: ${s.text}`
        : null;
    };
    const action = () => {
      if (focus) input.focus();
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    };
    return timedAction(action, { done, failed, what: `search results for ${JSON.stringify(value)}`, timeoutMs }).then(
      (r) => ({ ...r, status: bench.searchStatus(), resultCount: bench.resultCount() }),
    );
  };

  /**
   * Data requests started at or after `t0` (and before `until`, if given),
   * split into the search index (`data/search/*`) and transcript shards
   * (`data/shards/*`); transfer = `transferSize` (gzip body + headers).
   */
  bench.dataRequests = (t0, until = Infinity) => {
    const pick = (part) =>
      performance
        .getEntriesByType('resource')
        .filter((e) => e.startTime >= t0 && e.startTime < until && new URL(e.name).pathname.includes(part))
        .map((e) => ({
          path: new URL(e.name).pathname,
          transfer: e.transferSize,
          encoded: e.encodedBodySize,
          decoded: e.decodedBodySize,
          start_ms: Math.round(e.startTime - t0),
          end_ms: Math.round(e.responseEnd - t0),
        }));
    return { search: pick('/data/search/'), shards: pick('/data/shards/') };
  };

  /**
   * Marks the toggle button of the event's card (by id, else by title) and
   * returns a selector for it, or null when the card is not in the DOM.
   */
  bench.markCard = (id, title) => {
    for (const old of document.querySelectorAll('[data-bench-target]')) {
      old.removeAttribute('data-bench-target');
    }
    const cards = Array.from(document.querySelectorAll(CARD));
    const card =
      cards.find((c) => c.dataset.eventId === id) ??
      cards.find((c) => c.querySelector('[data-testid=event-title]')?.textContent.trim() === title);
    const button = card?.querySelector('[data-testid=toggle-transcript]');
    if (!button) return null;
    button.setAttribute('data-bench-target', '');
    return '[data-bench-target]';
  };

  /**
   * Scrolls the document from top to bottom, one step per animation frame
   * (a step is the larger of a viewport and 1/targetFrames of the page), and
   * records frame intervals and long tasks (PerformanceObserver 'longtask',
   * tasks over 50 ms) meanwhile.
   */
  bench.scrollThrough = ({ targetFrames, maxMs }) =>
    new Promise((resolve) => {
      const longTasks = [];
      const observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longTasks.push(e.duration);
      });
      observer.observe({ type: 'longtask' });
      const root = document.scrollingElement;
      scrollTo(0, 0);
      const seen = new Set();
      const deltas = [];
      let last = null;
      let stuck = 0;
      let previousY = -1;
      const t0 = performance.now();
      const finish = (reachedBottom) => {
        const ms = performance.now() - t0;
        // Long tasks are reported after they end: give the last ones time.
        setTimeout(() => {
          for (const e of observer.takeRecords()) longTasks.push(e.duration);
          observer.disconnect();
          const nominal = 1000 / 60;
          const sorted = [...deltas].sort((a, b) => a - b);
          resolve({
            px: Math.round(scrollY),
            ms,
            frames: deltas.length,
            frameIntervalMs: sorted.length ? sorted[Math.floor(sorted.length / 2)] : null,
            // Frames missed at 60 Hz: an interval of k nominal frames drops k - 1.
            droppedFrames: deltas.reduce((n, d) => n + Math.max(0, Math.round(d / nominal) - 1), 0),
            longTasks,
            reachedBottom,
            cardsSeen: seen.size,
          });
        }, 500);
      };
      const tick = (now) => {
        if (last != null) deltas.push(now - last);
        last = now;
        for (const card of document.querySelectorAll(CARD)) seen.add(card.dataset.eventId);
        const max = root.scrollHeight - innerHeight;
        if (scrollY >= max - 1) {
          finish(true);
          return;
        }
        stuck = scrollY === previousY ? stuck + 1 : 0;
        previousY = scrollY;
        if (now - t0 > maxMs || stuck > 30) {
          finish(false);
          return;
        }
        scrollBy(0, Math.max(innerHeight, Math.ceil(max / targetFrames)));
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
}

export const INSTRUMENT = `(${instrument.toString()})();`;
