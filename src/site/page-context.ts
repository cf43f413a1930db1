import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LabConfig, SessionDef } from '../model/lab.ts';
import type { Problem } from '../model/location.ts';
import { parseLabConfig } from '../parse/lab-config.ts';
import { deckRecordId, readDeckConfig } from '../parse/load-deck.ts';
import { readRecord, recordPath } from '../record/records.ts';
import type { LabRecord } from '../record/types.ts';
import type { LiveRun } from '../model/live.ts';
import { readLiveRun } from '../record/live.ts';
import type { ContentLocation } from './locate-content.ts';

/** What rendering the blocks of one content page needs to know about its lab. */
export interface PageContext {
  location: ContentLocation;
  /** lab.yaml, when the page is a step of a lab with a valid lab.yaml. */
  config?: LabConfig;
  /** Sessions the page's blocks type into (lab.yaml `sessions`; `host` is implied). */
  sessions: Record<string, SessionDef>;
  /** `verification/<lab-id>.json` of the page's root, when there is one. */
  record?: LabRecord;
  /** A `labs verify` run of the lab still going (`verification/.live/`): read only when asked (the dev server). */
  live?: LiveRun;
  /** Where the record and live file are (root and record id), when asked for the live state and the page has a record. */
  recordSource?: { root: string; labId: string };
  /** Problems with lab.yaml, to print once per lab. */
  problems: Problem[];
}

const cache = new Map<string, { stamp: string; value: Promise<unknown> }>();

/** Caches a file-derived value per process until the file's mtime or size changes (dev server edits). */
async function cached<T>(file: string, load: () => Promise<T>): Promise<T> {
  const s = await stat(file).catch(() => undefined);
  const stamp = s ? `${s.mtimeMs}:${s.size}` : 'absent';
  const hit = cache.get(file);
  if (hit && hit.stamp === stamp) return hit.value as Promise<T>;
  const value = load();
  cache.set(file, { stamp, value });
  return value;
}

/** Reads and validates a lab's lab.yaml (cached). */
export function loadLabConfig(labDir: string, shownAs: string): Promise<{ config?: LabConfig; problems: Problem[] }> {
  const file = path.join(labDir, 'lab.yaml');
  return cached(file, async () => {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return { problems: [] };
    const { config, problems } = parseLabConfig(text, shownAs);
    return config ? { config, problems } : { problems };
  });
}

/** Reads `verification/<lab-id>.json` under a root (cached); undefined when the lab was never verified. */
export function loadLabRecord(root: string, labId: string): Promise<LabRecord | undefined> {
  const file = recordPath(path.join(root, 'verification'), labId);
  return cached(file, () => readRecord(file));
}

/** Options of loadPageContext. */
export interface PageContextOptions {
  /** Read the lab's run in progress too (the dev server; a build never does). @default false */
  live?: boolean;
}

/** Loads the lab config and record a content page's blocks need (and, when asked, its run in progress). */
export async function loadPageContext(location: ContentLocation, options: PageContextOptions = {}): Promise<PageContext> {
  const context = await loadRecordedContext(location);
  const labId = location.section === 'slides' ? deckRecordId(location.slug) : location.section === 'labs' ? location.labId : undefined;
  if (options.live && labId) {
    context.recordSource = { root: location.root, labId };
    // Never cached: it changes block by block, and a run that died must stop showing at once.
    const live = await readLiveRun(path.join(location.root, 'verification'), labId);
    if (live) context.live = live;
  }
  return context;
}

async function loadRecordedContext(location: ContentLocation): Promise<PageContext> {
  if (location.section === 'slides') {
    // A deck runs as a lab of one step: its frontmatter's `verify:` says how; its record is its own.
    const deckPath = path.join(location.root, location.file);
    const [deck, record] = await Promise.all([
      cached(deckPath, async () => readDeckConfig(await readFile(deckPath, 'utf8'), location.file, location.root, (p) => path.relative(location.root, p))),
      loadLabRecord(location.root, deckRecordId(location.slug)),
    ]);
    const context: PageContext = { location, sessions: deck.config?.sessions ?? {}, problems: deck.problems };
    if (deck.config) context.config = deck.config;
    if (record) context.record = record;
    return context;
  }
  if (location.section !== 'labs' || !location.labDir || !location.labId) return { location, sessions: {}, problems: [] };
  const configShown = path.posix.join(path.posix.dirname(location.file), 'lab.yaml');
  const [{ config, problems }, record] = await Promise.all([loadLabConfig(location.labDir, configShown), loadLabRecord(location.root, location.labId)]);
  const context: PageContext = { location, sessions: config?.sessions ?? {}, problems };
  if (config) context.config = config;
  if (record) context.record = record;
  return context;
}
