// A tiny static file server for the browser tests: serves a built site (a
// Trunk dist folder) under a URL prefix, as GitHub Pages serves a project
// site under /<repository>/, on 127.0.0.1 only.
//
//   node tests/browser/server.mjs --root DIST [--prefix /stenogram/] [--port 0]
//                                 [--exit-on-stdin-close] [--gzip]
//
// Prints `listening http://127.0.0.1:PORT/PREFIX/` on stdout once ready (port 0
// picks a free port). Anything outside the prefix, missing, or outside the
// root is a 404 (with the site's 404.html as body, if it has one, like Pages).
// With --exit-on-stdin-close it stops when its parent closes stdin or dies.
// With --gzip (`startServer({ gzip: true })`, off by default) text and wasm
// responses are sent with `Content-Encoding: gzip` when the request accepts
// it, as GitHub Pages does; each file is compressed once and kept in memory
// (the benchmark, `cargo xtask bench`, measures bytes over the wire this way).
//
// Also usable from a test: `const { url, close } = await startServer({ root })`.

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat, readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { gzip as gzipCallback } from 'node:zlib';
import { parseArgs, promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.xml': 'application/xml; charset=utf-8',
};

/** Types worth compressing (what GitHub Pages compresses, plus wasm). */
const COMPRESSIBLE = new Set([
  '.html', '.js', '.mjs', '.css', '.wasm', '.json', '.map', '.webmanifest', '.txt', '.svg', '.xml',
]);

const gzipAsync = promisify(gzipCallback);

/** Does the request's Accept-Encoding allow gzip (and not with q=0)? */
function acceptsGzip(req) {
  const header = req.headers['accept-encoding'] ?? '';
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

/** Normalizes a prefix to `/name/` form (`/` stays `/`). */
function normalizePrefix(prefix) {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

/** Maps a request path to a file under root, or null. */
async function resolveFile(root, prefix, urlPath) {
  if (!urlPath.startsWith(prefix)) return null;
  let rel;
  try {
    rel = decodeURIComponent(urlPath.slice(prefix.length));
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  let file = resolve(root, '.' + sep + rel);
  if (file !== root && !file.startsWith(root + sep)) return null;
  try {
    let info = await stat(file);
    if (info.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file);
    }
    return info.isFile() ? { file, size: info.size, mtime: info.mtimeMs } : null;
  } catch {
    return null;
  }
}

/**
 * Starts the server. Resolves to `{ url, port, close }` once it listens.
 * @param {{ root: string, prefix?: string, port?: number, gzip?: boolean }} options
 */
export async function startServer({ root, prefix = '/stenogram/', port = 0, gzip = false }) {
  const rootDir = resolve(root);
  const info = await stat(rootDir).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`server.mjs: no such folder: ${rootDir}`);
  prefix = normalizePrefix(prefix);
  // Compressed bodies by file, valid while size and mtime are unchanged.
  const gzipped = new Map();
  const compressed = async (found) => {
    const key = `${found.file}\0${found.size}\0${found.mtime}`;
    let body = gzipped.get(key);
    if (!body) {
      body = gzipAsync(await readFile(found.file));
      gzipped.set(key, body);
    }
    return body;
  };

  const server = createServer(async (req, res) => {
    const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    const urlPath = new URL(req.url, 'http://127.0.0.1').pathname;
    // `/stenogram` -> `/stenogram/`, as Pages does.
    if (prefix !== '/' && urlPath === prefix.slice(0, -1)) {
      res.writeHead(301, { ...headers, Location: prefix }).end();
      return;
    }
    const found = await resolveFile(rootDir, prefix, urlPath);
    if (!found) {
      const page = await readFile(join(rootDir, '404.html')).catch(() => null);
      res.writeHead(404, {
        ...headers,
        'Content-Type': page ? MIME['.html'] : MIME['.txt'],
      });
      res.end(req.method === 'HEAD' ? undefined : (page ?? `404 Not Found: ${urlPath}\n`));
      return;
    }
    const ext = extname(found.file).toLowerCase();
    const type = MIME[ext] ?? 'application/octet-stream';
    if (gzip && COMPRESSIBLE.has(ext)) {
      headers.Vary = 'Accept-Encoding';
      if (acceptsGzip(req)) {
        let body;
        try {
          body = await compressed(found);
        } catch {
          res.destroy();
          return;
        }
        res.writeHead(200, {
          ...headers,
          'Content-Type': type,
          'Content-Encoding': 'gzip',
          'Content-Length': body.length,
        });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': type,
      'Content-Length': found.size,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(found.file)
      .on('error', () => res.destroy())
      .pipe(res);
  });

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const actualPort = server.address().port;
  return {
    url: `http://127.0.0.1:${actualPort}${prefix}`,
    port: actualPort,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      root: { type: 'string' },
      prefix: { type: 'string', default: '/stenogram/' },
      port: { type: 'string', default: '0' },
      'exit-on-stdin-close': { type: 'boolean', default: false },
      gzip: { type: 'boolean', default: false },
    },
  });
  if (!values.root) {
    console.error(
      'usage: node server.mjs --root DIST [--prefix /stenogram/] [--port 0] [--exit-on-stdin-close] [--gzip]',
    );
    process.exit(2);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`server.mjs: bad port ${values.port}`);
    process.exit(2);
  }
  const { url, close } = await startServer({
    root: values.root,
    prefix: values.prefix,
    port,
    gzip: values.gzip,
  });
  console.log(`listening ${url}`);
  const stop = () => close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (values['exit-on-stdin-close']) {
    process.stdin.on('end', stop);
    process.stdin.on('error', stop);
    process.stdin.resume();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err.message ?? err);
    process.exit(1);
  });
}
