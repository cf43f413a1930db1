/**
 * A tiny static server for the built site (dist/), aware of the base path: `/<base>/x/` serves
 * `dist/x/index.html`, anything outside the base is a 404, and unknown paths get dist/404.html
 * with status 404, like GitHub Pages.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

/** A running server: its origin (`http://127.0.0.1:PORT`), the base, and a way to stop it. */
export interface StaticSite {
  origin: string;
  base: string;
  /** `url('labs/x/')` → `http://127.0.0.1:PORT/base/labs/x/` */
  url: (route?: string) => string;
  close: () => Promise<void>;
}

/** Resolves a request path to a file in `dir`, or undefined. Never leaves `dir`. */
export async function resolveFile(dir: string, base: string, urlPath: string): Promise<string | undefined> {
  const b = base === '/' ? '' : base;
  let p = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  if (b) {
    if (p !== b && !p.startsWith(`${b}/`)) return undefined;
    p = p.slice(b.length) || '/';
  }
  const file = path.join(dir, path.normalize(p));
  if (!file.startsWith(path.resolve(dir))) return undefined;
  for (const candidate of [file, path.join(file, 'index.html'), `${file}.html`]) {
    const s = await stat(candidate).catch(() => undefined);
    if (s?.isFile()) return candidate;
  }
  return undefined;
}

/** Serves `dir` under `base` on a free port of 127.0.0.1. */
export async function serveStatic(dir: string, base: string): Promise<StaticSite> {
  const root = path.resolve(dir);
  const server: Server = createServer(async (req, res) => {
    const file = await resolveFile(root, base, req.url ?? '/');
    if (!file) {
      const page = await readFile(path.join(root, '404.html')).catch(() => Buffer.from('not found'));
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const prefix = base === '/' ? '' : base;
  return {
    origin,
    base,
    url: (route = '') => `${origin}${prefix}/${route.replace(/^\/+/, '')}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
