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
   * Clicks `selector` and resolves with `{ ms, syncMs }`: ms from just
   * before `click()` to after the first rendered frame in which the
   * condition holds; syncMs is how long `click()` itself ran (the app's
   * synchronous event handler).
   */
  bench.timedClick = (selector, { kind, timeoutMs = 60_000 }) =>
    new Promise((resolve, reject) => {
      const el = document.querySelector(selector);
      if (!el) {
        reject(new Error(`no element ${selector}`));
        return;
      }
      let done;
      if (kind === 'view-changed') {
        const before = viewState();
        done = () => viewState() !== before;
      } else if (kind === 'turn-shown') {
        done = turnShown;
      } else if (kind === 'turn-gone') {
        done = transcriptGone;
      } else {
        reject(new Error(`unknown kind ${kind}`));
        return;
      }
      let finished = false;
      let observer;
      const finish = (result, error) => {
        if (finished) return;
        finished = true;
        observer?.disconnect();
        if (error) reject(error);
        else resolve(result);
      };
      const t0 = performance.now();
      let syncMs = 0;
      const end = () => finish({ ms: performance.now() - t0, syncMs });
      // Checked in a frame: that frame shows it. Checked on a mutation:
      // the next frame does.
      let pending = false;
      const check = (inFrame) => {
        if (finished || pending || !done()) return;
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
          finish(null, new Error(`${kind} not seen ${timeoutMs} ms after clicking ${selector}`));
          return;
        }
        check(true);
        requestAnimationFrame(frame);
      };
      el.click();
      syncMs = performance.now() - t0;
      requestAnimationFrame(frame);
    });

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
