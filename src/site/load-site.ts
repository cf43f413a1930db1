import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Block } from '../model/block.ts';
import type { Lab, LabConfig } from '../model/lab.ts';
import type { Problem } from '../model/location.ts';
import { splitFrontmatter } from '../parse/frontmatter.ts';
import { loadLab } from '../parse/load-lab.ts';
import { loadDeck } from '../parse/load-deck.ts';
import { slideStartLines } from '../slides/split-slides.ts';
import type { LabRecord } from '../record/types.ts';
import { loadLabRecord } from './page-context.ts';
import { matrixRecordName } from '../model/k8s-matrix.ts';

/** A lab as the site shows it. */
export interface SiteLab {
  id: string;
  /** Project root the lab came from. */
  root: string;
  title: string;
  description?: string;
  target: string;
  tools: Record<string, string>;
  /** The lab's lab.yaml (requires, sessions, bindings…), for the "before you start" section. */
  config: LabConfig;
  steps: SiteStep[];
  record?: LabRecord;
  /**
   * A kind lab's records on the other Kubernetes releases of its `kind.matrix`
   * (`verification/<lab>@<minor>.json`), by minor release. Never read by the strict build gate.
   */
  versionRecords?: Record<string, LabRecord>;
}

/** A step of a lab, with its blocks as the runner parses them. */
export interface SiteStep {
  slug: string;
  /** Path relative to its root, e.g. `content/labs/pods/01-pods.mdx`. */
  file: string;
  title: string;
  description?: string;
  /** Route without base or slashes: `labs/<lab>/<step>`, or `slides/<deck>` for a deck. */
  route: string;
  blocks: Block[];
  /** A deck's slide start lines: its blocks are linked as `#/<slide>`, the deck's own addresses. */
  slideLines?: number[];
}

/** A slide deck; `lab` holds its blocks and record (id `slides-<deck>`) when it parses. */
export interface SiteDeck {
  name: string;
  title: string;
  lab?: SiteLab;
}

/** The decks whose blocks parse, as labs of one step. */
export function deckLabs(site: Pick<SiteContent, 'decks'>): SiteLab[] {
  return site.decks.flatMap((d) => (d.lab ? [d.lab] : []));
}

/** A concept or docs page. */
export interface SitePage {
  slug: string;
  file: string;
  title: string;
  route: string;
  /** Frontmatter `sidebar.order`, for ordering. */
  order?: number;
}

/** Everything the site builds pages and navigation from. */
export interface SiteContent {
  labs: SiteLab[];
  concepts: SitePage[];
  docs: SitePage[];
  /** Slide decks (`slides/<deck>.mdx`): file name, frontmatter title, and its blocks as a lab of one step. */
  decks: SiteDeck[];
  problems: Problem[];
}

/**
 * Reads every lab (through the runner's own loader, so blocks, ids and titles are the runner's),
 * its record, and the concept and docs pages of each project root. Later roots add to earlier
 * ones; a lab id that exists twice is kept from the first root and reported.
 */
export async function loadSite(roots: readonly string[]): Promise<SiteContent> {
  const site: SiteContent = { labs: [], concepts: [], docs: [], decks: [], problems: [] };
  for (const root of roots) {
    for (const name of await listDirs(path.join(root, 'content', 'labs'))) {
      const dir = path.join(root, 'content', 'labs', name);
      const { lab, problems } = await loadLab(dir, { cwd: root });
      site.problems.push(...problems);
      if (!lab) continue;
      if (site.labs.some((l) => l.id === lab.id)) {
        site.problems.push({ stage: 'config', location: { file: lab.configFile, line: 1, column: 1 }, message: `lab "${lab.id}" exists in two content roots`, hint: 'rename one of the lab folders' });
        continue;
      }
      site.labs.push(await toSiteLab(lab, root));
    }
    site.concepts.push(...(await listPages(root, 'concepts')));
    site.docs.push(...(await listPages(root, 'docs')));
    for (const f of await listFiles(path.join(root, 'slides'))) {
      if (!/\.mdx?$/.test(f)) continue;
      const name = f.replace(/\.mdx?$/, '');
      const file = path.join(root, 'slides', f);
      const { lab, problems } = f.endsWith('.mdx') ? await loadDeck(file, { cwd: root }) : { problems: [] };
      site.problems.push(...problems);
      if (!lab) {
        site.decks.push({ name, title: (await readFrontmatter(file)).title ?? name });
        continue;
      }
      const slideLines = slideStartLines(await readFile(file, 'utf8'), lab.steps[0]!.file);
      site.decks.push({ name, title: lab.config.title, lab: await toSiteLab(lab, root, { route: `slides/${name}`, slideLines }) });
    }
  }
  site.labs.sort((a, b) => a.id.localeCompare(b.id));
  site.concepts.sort(byOrderThenTitle);
  site.docs.sort(byOrderThenTitle);
  return site;
}

async function toSiteLab(lab: Lab, root: string, deck?: { route: string; slideLines: number[] }): Promise<SiteLab> {
  const steps: SiteStep[] = [];
  for (const s of lab.steps) {
    const front = await readFrontmatter(s.absPath);
    steps.push({
      slug: s.slug,
      file: s.file.split(path.sep).join('/'),
      title: s.title,
      ...(front.description ? { description: front.description } : {}),
      route: deck?.route ?? `labs/${lab.id}/${s.slug}`,
      blocks: s.blocks,
      ...(deck ? { slideLines: deck.slideLines } : {}),
    });
  }
  const record = await loadLabRecord(root, lab.id);
  const versionRecords: Record<string, LabRecord> = {};
  for (const e of lab.config.target === 'kind' ? (lab.config.kind?.matrix ?? []) : []) {
    const r = await loadLabRecord(root, matrixRecordName(lab.id, e.kubernetes));
    if (r) versionRecords[e.kubernetes] = r;
  }
  return {
    id: lab.id,
    root,
    title: lab.config.title,
    ...(lab.config.description ? { description: lab.config.description } : {}),
    target: lab.config.target,
    tools: lab.config.tools ?? {},
    config: lab.config,
    steps,
    ...(record ? { record } : {}),
    ...(Object.keys(versionRecords).length > 0 ? { versionRecords } : {}),
  };
}

async function listPages(root: string, section: 'concepts' | 'docs'): Promise<SitePage[]> {
  const dir = path.join(root, 'content', section);
  const pages: SitePage[] = [];
  for (const name of await listFiles(dir)) {
    if (!/\.mdx?$/.test(name) || name.startsWith('_')) continue;
    const slug = name.replace(/\.mdx?$/, '');
    const front = await readFrontmatter(path.join(dir, name));
    pages.push({
      slug,
      file: `content/${section}/${name}`,
      title: front.title ?? slug,
      route: `${section}/${slug}`,
      ...(front.order !== undefined ? { order: front.order } : {}),
    });
  }
  return pages;
}

async function readFrontmatter(file: string): Promise<{ title?: string; description?: string; order?: number }> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const data = (splitFrontmatter(text, file).data ?? {}) as { title?: unknown; description?: unknown; sidebar?: { order?: unknown } };
  return {
    ...(typeof data.title === 'string' ? { title: data.title } : {}),
    ...(typeof data.description === 'string' ? { description: data.description } : {}),
    ...(typeof data.sidebar?.order === 'number' ? { order: data.sidebar.order } : {}),
  };
}

function byOrderThenTitle(a: SitePage, b: SitePage): number {
  return (a.order ?? Infinity) - (b.order ?? Infinity) || a.title.localeCompare(b.title);
}

async function listDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name).sort();
}
