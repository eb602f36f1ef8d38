// What the benchmark measures on a given corpus, read from the site's data:
// the heavy and the rare speaker, the short and the largest transcript, and
// the sizes of the app, of the data and of the full-text search index.

import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const HEAVY_SPEAKER = 'vladimir-putin';

/** `model::slug`: lower case, runs of non-letters/digits become one hyphen. */
export function slug(text) {
  let out = '';
  for (const c of text) {
    for (const lower of c.toLowerCase()) {
      if (/[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]/u.test(lower)) out += lower;
      else if (out && !out.endsWith('-')) out += '-';
    }
  }
  return out.replace(/-+$/, '');
}

/** `model::event_id`: `YYYY-MM-DD-title-slug` (slug cut near 60 bytes), `-n` for n > 1. */
export function eventId(date, title, n) {
  let s = slug(title);
  const bytes = Buffer.from(s, 'utf8');
  if (bytes.length > 60) {
    // Longest prefix of whole characters within 60 bytes, then cut at a hyphen.
    let end = 60;
    while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
    const head = bytes.subarray(0, end).toString('utf8');
    const cut = head.lastIndexOf('-');
    s = cut >= 0 ? head.slice(0, cut) : head;
  }
  const base = s ? `${date}-${s}` : date;
  return n > 1 ? `${base}-${n}` : base;
}

/** Rows of the site's data: `{ id, date, title, turns, shardBytes }`, plus speakers and sizes. */
async function readData(site) {
  const data = join(site, 'data');
  const indexPath = join(data, 'index.json');
  const raw = await readFile(indexPath);
  const index = JSON.parse(raw.toString('utf8'));
  const ev = index.events;
  const suffix = new Map((ev.id_suffixes ?? []).map(([row, n]) => [row, n]));
  const shardOf = new Array(ev.date.length).fill(null);
  for (const shard of index.shards ?? []) {
    for (let row = shard.first; row < shard.first + shard.count; row++) shardOf[row] = shard;
  }
  const rows = ev.date.map((date, row) => ({
    row,
    id: eventId(date, ev.title[row], suffix.get(row) ?? 1),
    date,
    title: ev.title[row],
    turns: ev.turns[row],
    shardBytes: shardOf[row]?.bytes ?? 0,
  }));
  const shardBytes = (index.shards ?? []).map((s) => s.bytes);
  return {
    layout: 'index+shards',
    rows,
    speakers: index.speakers,
    search: await searchSizes(site, index.search ?? null),
    data: {
      index_bytes: raw.length,
      index_bytes_gz: gzipSync(raw).length,
      shards: shardBytes.length,
      shard_bytes_total: shardBytes.reduce((a, b) => a + b, 0),
      shard_bytes_max: Math.max(0, ...shardBytes),
    },
  };
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The search index on disk, from the index's `search: { meta, bytes }`
 * (paths relative to the site): the meta file and every chunk it lists, raw
 * and gzipped (zlib level 6, as served). Null when the site has no search
 * index.
 */
async function searchSizes(site, ref) {
  if (!ref) return null;
  const metaRaw = await readFile(join(site, ref.meta));
  const meta = JSON.parse(metaRaw.toString('utf8'));
  const chunks = meta.chunks ?? [];
  const raw = [];
  const gz = [];
  for (const chunk of chunks) {
    const bytes = await readFile(join(site, chunk.path));
    raw.push(bytes.length);
    gz.push(gzipSync(bytes).length);
  }
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const onDisk = metaRaw.length + sum(raw);
  return {
    meta_path: ref.meta,
    // As the index states it (meta + chunks, uncompressed), and as found on disk.
    bytes: ref.bytes,
    bytes_on_disk: onDisk,
    bytes_gz: gzipSync(metaRaw).length + sum(gz),
    meta_bytes: metaRaw.length,
    meta_bytes_gz: gzipSync(metaRaw).length,
    terms: meta.terms ?? null,
    chunks: chunks.length,
    chunk_bytes_median: chunks.length ? median(raw) : null,
    chunk_bytes_max: chunks.length ? Math.max(...raw) : null,
    chunk_bytes_gz_median: chunks.length ? median(gz) : null,
    chunk_bytes_gz_max: chunks.length ? Math.max(...gz) : null,
  };
}

/** The speakers and events to measure on this site's corpus. */
export async function pickTargets(site) {
  const { layout, rows, speakers, data, search } = await readData(site);
  if (rows.length === 0) throw new Error(`${site}: the corpus has no event`);
  const people = speakers.filter((s) => s.kind === 'person' && s.event_count > 0);
  const pool = people.length ? people : speakers.filter((s) => s.event_count > 0);
  if (pool.length === 0) throw new Error(`${site}: no speaker opens a turn`);
  const heavy =
    pool.find((s) => s.id === HEAVY_SPEAKER) ??
    [...pool].sort((a, b) => b.event_count - a.event_count || a.id.localeCompare(b.id))[0];
  // Fewest events; among those, preferably a name of two or three words (a
  // person's name rather than a long role the parser could not split).
  const words = (s) => s.name.trim().split(/\s+/).length;
  const odd = (s) => (words(s) >= 2 && words(s) <= 3 ? 0 : 1);
  const rare = [...pool]
    .filter((s) => s.id !== heavy.id || pool.length === 1)
    .sort((a, b) => a.event_count - b.event_count || odd(a) - odd(b) || a.id.localeCompare(b.id))[0];
  const speaking = rows.filter((r) => r.turns > 0);
  if (speaking.length === 0) throw new Error(`${site}: no event has a speaker turn`);
  // Short: fewest turns, then the smallest shard. Largest: most turns, then the biggest shard.
  const short = [...speaking].sort((a, b) => a.turns - b.turns || a.shardBytes - b.shardBytes || a.row - b.row)[0];
  const largest = [...speaking].sort((a, b) => b.turns - a.turns || b.shardBytes - a.shardBytes || a.row - b.row)[0];
  const speaker = (s) => ({ id: s.id, name: s.name, event_count: s.event_count });
  return {
    layout,
    events: rows.length,
    heavy: speaker(heavy),
    rare: speaker(rare),
    short,
    largest,
    data,
    search,
  };
}

/** Sizes of Trunk's app files (`NAME-HASH.js` and `NAME-HASH_bg.wasm`), raw and gzipped. */
export async function appSizes(site) {
  const names = await readdir(site);
  const wasm = names.find((n) => n.endsWith('_bg.wasm'));
  if (!wasm) throw new Error(`${site}: no *_bg.wasm`);
  const js = wasm.replace(/_bg\.wasm$/, '.js');
  if (!names.includes(js)) throw new Error(`${site}: no ${js} beside ${wasm}`);
  const sizes = async (name) => {
    const bytes = await readFile(join(site, name));
    return [bytes.length, gzipSync(bytes).length];
  };
  const [wasmRaw, wasmGz] = await sizes(wasm);
  const [jsRaw, jsGz] = await sizes(js);
  return { wasm, js, wasmRaw, wasmGz, jsRaw, jsGz };
}
