import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LiveRun } from '../model/live.ts';
import { readLiveRun } from '../record/live.ts';
import { deckLabs, loadSite, type SiteContent, type SiteLab } from './load-site.ts';
import type { SiteConfig } from './site-config.ts';
import { collectBlockRows, countStates, type BlockRow, type StatusCounts } from './site-status.ts';

/** A lab with its block rows and counts, as the landing, home and status pages use it. */
export interface LabOverview {
  lab: SiteLab;
  rows: BlockRow[];
  counts: StatusCounts;
  /** Per step slug. */
  stepCounts: Map<string, StatusCounts>;
  /** A `labs verify` run of this lab still going (dev server only, see `SiteConfig.live`). */
  live?: LiveRun;
}

/** The site's labs and decks with their rows; `counts` covers both. */
export interface SiteOverview {
  site: SiteContent;
  labs: LabOverview[];
  /** Decks whose blocks parse, as labs of one step. */
  decks: LabOverview[];
  counts: StatusCounts;
}

let cached: { key: string; value: Promise<SiteOverview> } | undefined;

/**
 * Loads the site content once per build (every page asks; the answer does not change during a
 * build). Under the dev server (`config.live`) the answer is kept only while the records, lab
 * folders and decks keep their stamps, so a `labs verify` or an edit shows on the next request,
 * and each lab's run in progress is read afresh every time.
 */
export async function getSiteOverview(config: Pick<SiteConfig, 'roots' | 'live'>): Promise<SiteOverview> {
  const key = config.roots.join('\n') + (config.live ? '\n' + (await stampContent(config.roots)) : '');
  if (cached?.key !== key) cached = { key, value: overview(config.roots) };
  const value = await cached.value;
  if (!config.live) return value;
  const withLive = async (l: LabOverview): Promise<LabOverview> => {
    const live = await readLiveRun(path.join(l.lab.root, 'verification'), l.lab.id);
    return live ? { ...l, live } : l;
  };
  return { ...value, labs: await Promise.all(value.labs.map(withLive)), decks: await Promise.all(value.decks.map(withLive)) };
}

async function overview(roots: string[]): Promise<SiteOverview> {
  const site = await loadSite(roots);
  const labs = site.labs.map(labOverview);
  const decks = deckLabs(site).map(labOverview);
  return { site, labs, decks, counts: countStates([...labs, ...decks].flatMap((l) => l.rows)) };
}

function labOverview(lab: SiteLab): LabOverview {
  const rows = collectBlockRows(lab);
  const stepCounts = new Map(lab.steps.map((s) => [s.slug, countStates(rows.filter((r) => r.stepSlug === s.slug))]));
  return { lab, rows, counts: countStates(rows), stepCounts };
}

/** Name, mtime and size of every file the overview is read from: records, lab folders, decks. */
async function stampContent(roots: readonly string[]): Promise<string> {
  const dirs: string[] = [];
  for (const root of roots) {
    const labs = path.join(root, 'content', 'labs');
    dirs.push(path.join(root, 'verification'), path.join(root, 'slides'), labs);
    for (const e of await readdir(labs, { withFileTypes: true }).catch(() => [])) if (e.isDirectory()) dirs.push(path.join(labs, e.name));
  }
  const stamps = await Promise.all(dirs.map(stampDir));
  return stamps.join('\n');
}

async function stampDir(dir: string): Promise<string> {
  const names = (await readdir(dir).catch(() => [] as string[])).sort();
  const parts = await Promise.all(
    names.map(async (n) => {
      const s = await stat(path.join(dir, n)).catch(() => undefined);
      return s?.isFile() ? `${n}:${s.mtimeMs}:${s.size}` : '';
    }),
  );
  return `${dir}|${parts.filter(Boolean).join('|')}`;
}
