import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Block } from '../model/block.ts';
import { computeBlockHash, rememberBlockHash } from '../model/hash.ts';
import type { SessionDef } from '../model/lab.ts';
import type { Problem } from '../model/location.ts';

/**
 * What reading one step page gives: its blocks, its title and the problems found in it (blocks
 * and frontmatter), exactly as `loadLab` puts them into the lab.
 */
export interface PageRead {
  blocks: Block[];
  title: string;
  problems: Problem[];
}

/**
 * Where pages read before are kept, and the version of the code that read them. A page is taken
 * from here only when its text, its file name as shown, its slug, the lab's sessions and this
 * version are all what they were when it was kept.
 */
export interface PageCache {
  dir: string;
  /** Names the code that reads pages: a kept page of another version is never taken. */
  version: string;
}

/** Raised by the format of what is kept; a change to it makes every page kept before unread. */
const FORMAT = 'labs-page-cache 1';
const DIGEST_BYTES = 32;
/**
 * Pages longer than this are read every time: their blocks, kept, are several times the page's
 * size and take longer to read back than the page takes to parse (its long blocks are parsed
 * without their bodies).
 */
export const PAGE_CACHE_MAX_CHARS = 1 << 20;
/** Past this many kept pages, the others go when one more is kept: the cache stays bounded. */
export const PAGE_CACHE_MAX_FILES = 512;

/**
 * The cache of the bundled CLI: beside the bundle, whose folder is named after the exact state
 * of every file it was built from (the parser's sources among them). The bundle runs as a
 * CommonJS module whose `__filename` is its `main.cjs` in `node_modules/.cache/labs-cli/`; from
 * the sources (tests, the site, `LABS_FROM_SOURCE=1`) there is no such version, so no cache.
 */
export function bundlePageCache(filename: string | undefined = typeof __filename === 'string' ? __filename : undefined): PageCache | undefined {
  if (filename === undefined || path.basename(filename) !== 'main.cjs') return undefined;
  const dir = path.dirname(filename);
  if (!dir.split(path.sep).includes('labs-cli') || !dir.includes(`${path.sep}.cache${path.sep}`)) return undefined;
  return { dir: path.join(dir, 'pages'), version: dir };
}

/** The name a page is kept under: everything that decides what reading it gives. */
function keyOf(cache: PageCache, sourceHash: string, file: string, slug: string, sessions: Record<string, SessionDef>): string {
  return JSON.stringify([FORMAT, cache.version, process.version, file, slug, sessions, sourceHash]);
}

function sha256(data: string | Uint8Array): Buffer {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(data).digest();
}

function fileOf(cache: PageCache, key: string): string {
  return path.join(cache.dir, `${sha256(key).toString('hex').slice(0, 40)}.page`);
}

/**
 * The page kept for these inputs, or undefined. A kept file is taken only when the digest it
 * starts with is the digest of the rest (a file cut short or changed on disk is not), and when
 * the key written inside it is this key (a file copied over another's name is not).
 */
export function readCachedPage(cache: PageCache, sourceHash: string, file: string, slug: string, sessions: Record<string, SessionDef>): PageRead | undefined {
  const key = keyOf(cache, sourceHash, file, slug, sessions);
  let bytes: Buffer;
  try {
    bytes = readFileSync(fileOf(cache, key));
  } catch {
    return undefined;
  }
  if (bytes.length <= DIGEST_BYTES) return undefined;
  const payload = bytes.subarray(DIGEST_BYTES);
  if (!sha256(payload).equals(bytes.subarray(0, DIGEST_BYTES))) return undefined;
  try {
    const kept = process.getBuiltinModule('node:v8').deserialize(payload) as { key?: unknown; page?: PageRead; hashes?: unknown };
    const page = kept?.page;
    const hashes = kept?.hashes;
    if (kept?.key !== key || !page || !Array.isArray(page.blocks) || typeof page.title !== 'string' || !Array.isArray(page.problems)) return undefined;
    if (!Array.isArray(hashes) || hashes.length !== page.blocks.length || !hashes.every((h) => typeof h === 'string')) return undefined;
    // Each block's hash was worked out from the very block kept: the run need not hash it again.
    page.blocks.forEach((b, k) => rememberBlockHash(b, hashes[k] as string));
    return page;
  } catch {
    return undefined;
  }
}

/**
 * Keeps what reading a page gave, with the hash of each block (which `hashBlock` then gives for
 * these blocks, and for the blocks taken back later, without hashing them again); a cache that
 * cannot be written keeps nothing, silently.
 */
export function writeCachedPage(cache: PageCache, sourceHash: string, file: string, slug: string, sessions: Record<string, SessionDef>, page: PageRead): void {
  const key = keyOf(cache, sourceHash, file, slug, sessions);
  const target = fileOf(cache, key);
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    const kept = readdirSync(cache.dir).filter((f) => f.endsWith('.page'));
    if (kept.length >= PAGE_CACHE_MAX_FILES) for (const f of kept) rmSync(path.join(cache.dir, f), { force: true });
  } catch {
    // No folder yet.
  }
  try {
    const hashes = page.blocks.map((b) => {
      const hash = computeBlockHash(b);
      rememberBlockHash(b, hash);
      return hash;
    });
    const payload = process.getBuiltinModule('node:v8').serialize({ key, page, hashes });
    mkdirSync(cache.dir, { recursive: true });
    writeFileSync(tmp, Buffer.concat([sha256(payload), payload]));
    renameSync(tmp, target);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // Never written.
    }
  }
}
