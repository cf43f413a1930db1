import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { LIVE_DIR } from '../model/live.ts';

/** Where the dev server answers with the current `recordsStamp` (see `dev-middleware.ts`). */
export const STAMP_PATH = '/__labs/records-stamp';

/**
 * A short digest of every record and live file of every root (name, mtime, size): it changes
 * whenever a run writes. A page rendered under the dev server carries the stamp it was rendered
 * with, so the browser can tell that it missed a reload (one sent while it was loading).
 */
export async function recordsStamp(roots: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const root of roots) {
    for (const dir of [path.join(root, 'verification'), path.join(root, 'verification', LIVE_DIR)]) {
      for (const name of (await readdir(dir).catch(() => [] as string[])).sort()) {
        if (!name.endsWith('.json') && name !== 'history.jsonl') continue;
        const s = await stat(path.join(dir, name)).catch(() => undefined);
        if (s?.isFile()) parts.push(`${dir}/${name}:${s.mtimeMs}:${s.size}`);
      }
    }
  }
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

/** What changed under a root's `verification/` folder, as the dev server sees it. */
export interface RecordChange {
  root: string;
  /** The lab (or `slides-<deck>`) whose record or live file changed; absent for other files (drift history). */
  lab?: string;
}

/**
 * Reads a changed path: a record `<root>/verification/<lab>.json`, a live file
 * `<root>/verification/.live/<lab>.json`, or another file of that folder (`history.jsonl`).
 * Undefined for anything else, including the temporary files an atomic write renames into place.
 */
export function classifyRecordChange(file: string, roots: readonly string[]): RecordChange | undefined {
  for (const root of roots) {
    const rel = path.relative(path.join(root, 'verification'), file);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const parts = rel.split(path.sep);
    if (parts.length === 1 && parts[0] === 'history.jsonl') return { root };
    const name = parts.length === 1 ? parts[0]! : parts.length === 2 && parts[0] === LIVE_DIR ? parts[1]! : undefined;
    const m = name ? /^([^.][^/]*)\.json$/.exec(name) : null;
    return m ? { root, lab: m[1]! } : undefined;
  }
  return undefined;
}

/**
 * Whether a page's source file shows blocks of `change.lab`: the steps `content/labs/<lab>/*` or,
 * for `slides-<deck>`, the deck `slides/<deck>.mdx`.
 */
export function showsLab(file: string, change: RecordChange): boolean {
  if (!change.lab) return false;
  const labDir = path.join(change.root, 'content', 'labs', change.lab) + path.sep;
  if (file.startsWith(labDir) && /\.mdx?$/.test(file)) return true;
  const deck = /^slides-(.+)$/.exec(change.lab)?.[1];
  return deck !== undefined && (file === path.join(change.root, 'slides', `${deck}.mdx`) || file === path.join(change.root, 'slides', `${deck}.md`));
}

/** The parts of a Vite dev server this module uses (typed here so the site does not import Vite itself). */
export interface DevServerLike {
  watcher: { add(paths: string | readonly string[]): unknown; on(event: 'add' | 'change' | 'unlink', listener: (file: string) => void): unknown };
  environments: Record<string, DevEnvironmentLike>;
}
interface ModuleGraphLike<M> {
  fileToModulesMap: Map<string, Set<M>>;
}
interface DevEnvironmentLike {
  moduleGraph: ModuleGraphLike<object> & { invalidateModule(mod: object, seen?: Set<object>, timestamp?: number, isHmr?: boolean): void };
  runner?: { evaluatedModules: ModuleGraphLike<object> & { invalidateModule(mod: object): void } };
  hot: { send(payload: { type: 'full-reload'; path?: string }): void };
}

/** Options of watchRecords. */
export interface WatchRecordsOptions {
  roots: readonly string[];
  /** How long to gather changes before acting (a run writes its live file block by block). @default 120 */
  delayMs?: number;
  /** Told what was reloaded, e.g. for the dev server's log. */
  onReload?: (labs: string[]) => void;
}

/**
 * Makes `astro dev` follow `labs verify`: when a record or a live file under a root's
 * `verification/` changes, the compiled pages of that lab (their badges and diffs are built at
 * compile time) are dropped from every server environment, and the browser reloads. Pages that
 * read the site overview (home, lab landing, status) re-read it because its cache follows the
 * files' stamps. Returns a function that stops it.
 */
export function watchRecords(server: DevServerLike, options: WatchRecordsOptions): () => void {
  const delay = options.delayMs ?? 120;
  server.watcher.add(options.roots.map((r) => path.join(r, 'verification')));
  let pending: RecordChange[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const flush = () => {
    timer = undefined;
    const changes = pending;
    pending = [];
    if (stopped || changes.length === 0) return;
    const timestamp = Date.now();
    for (const [name, env] of Object.entries(server.environments)) {
      if (name === 'client') continue;
      const seen = new Set<object>();
      for (const [file, mods] of env.moduleGraph.fileToModulesMap) {
        if (changes.some((c) => showsLab(file, c))) for (const m of mods) env.moduleGraph.invalidateModule(m, seen, timestamp, true);
      }
      const evaluated = env.runner?.evaluatedModules;
      if (evaluated) {
        for (const [file, mods] of evaluated.fileToModulesMap) {
          if (changes.some((c) => showsLab(file, c))) for (const m of mods) evaluated.invalidateModule(m);
        }
      }
    }
    server.environments.client?.hot.send({ type: 'full-reload', path: '*' });
    options.onReload?.([...new Set(changes.flatMap((c) => (c.lab ? [c.lab] : [])))]);
  };

  const onFile = (file: string) => {
    const change = classifyRecordChange(path.resolve(file), options.roots);
    if (!change || stopped) return;
    pending.push(change);
    // Gathered from the first change, not pushed back by later ones: a long run still shows its progress.
    timer ??= setTimeout(flush, delay);
  };
  for (const event of ['add', 'change', 'unlink'] as const) server.watcher.on(event, onFile);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
