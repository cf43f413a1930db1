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

/** Loads the site content once per build (every page asks; the answer does not change during a build). */
export function getSiteOverview(config: Pick<SiteConfig, 'roots'>): Promise<SiteOverview> {
  const key = config.roots.join('\n');
  if (cached?.key !== key) cached = { key, value: overview(config.roots) };
  return cached.value;
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
