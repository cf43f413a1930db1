import { loadSite, type SiteContent, type SiteLab } from './load-site.ts';
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

let cached: { key: string; value: Promise<{ site: SiteContent; labs: LabOverview[]; counts: StatusCounts }> } | undefined;

/** Loads the site content once per build (every page asks; the answer does not change during a build). */
export function getSiteOverview(config: Pick<SiteConfig, 'roots'>): Promise<{ site: SiteContent; labs: LabOverview[]; counts: StatusCounts }> {
  const key = config.roots.join('\n');
  if (cached?.key !== key) cached = { key, value: overview(config.roots) };
  return cached.value;
}

async function overview(roots: string[]) {
  const site = await loadSite(roots);
  const labs = site.labs.map((lab) => {
    const rows = collectBlockRows(lab);
    const stepCounts = new Map(lab.steps.map((s) => [s.slug, countStates(rows.filter((r) => r.stepSlug === s.slug))]));
    return { lab, rows, counts: countStates(rows), stepCounts };
  });
  return { site, labs, counts: countStates(labs.flatMap((l) => l.rows)) };
}
