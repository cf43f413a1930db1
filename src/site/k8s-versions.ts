import { imageMinor, planMatrix, versionMinor } from '../model/k8s-matrix.ts';
import type { LabRecord } from '../record/types.ts';
import type { SiteLab } from './load-site.ts';
import { collectBlockRows, countStates, type BlockRow, type StatusCounts } from './site-status.ts';
import { overallKind } from './status-text.ts';
import type { StatusKind } from './view-model.ts';

/**
 * How a kind lab (or one of its steps) fared on one Kubernetes minor release: the pinned node
 * image's, read from `verification/<lab>.json`, or a `kind.matrix` release's, read from
 * `verification/<lab>@<minor>.json`. Each record is judged against the pages as they are now,
 * block by block, exactly as the pinned badges are: an edited block is not verified on any
 * release until it runs again there.
 */
export interface VersionStatus {
  /** `1.36` */
  kubernetes: string;
  /** The pinned node image's release: the one the pages show and the strict build checks. */
  pinned: boolean;
  /** The summing-up kind: any drift wins, then not yet verified, then flaky. */
  kind: StatusKind;
  counts: StatusCounts;
  /** The node image the lab pins for this release. */
  image?: string;
  /** The record this comes from, when there is one that may be trusted for this release. */
  record?: LabRecord;
  /** Why there is no trusted record (never run, held in the plan, a record of another release). */
  note?: string;
  /** The drifted blocks on this release. */
  drifted: BlockRow[];
}

/** Words for a version's kind, as a reader sees them next to the release. */
export const VERSION_WORDS: Record<StatusKind, string> = {
  verified: 'verified',
  flaky: 'verified, flaky',
  drifted: 'drifted',
  unverified: 'not yet verified',
  skipped: 'nothing to run',
};

/**
 * The Kubernetes releases a kind lab is verified on, oldest first (`1.35 · 1.36 · 1.37`): the
 * pinned image's and each `kind.matrix` entry's. Empty for a lab that is not a kind lab or whose
 * pinned release is unknown (no `kind.image` and no record saying what the server ran).
 * `stepSlug` narrows the counts to one step.
 */
export function labVersions(lab: Pick<SiteLab, 'id' | 'config' | 'steps' | 'record' | 'versionRecords'>, stepSlug?: string): VersionStatus[] {
  if (lab.config.target !== 'kind') return [];
  const pinnedImage = lab.config.kind?.image;
  const pinned = imageMinor(pinnedImage) ?? versionMinor(lab.record?.environment.versions.kubernetes);
  if (!pinned) return [];
  const out: VersionStatus[] = [];
  // The pinned record is trusted for the pinned release only if its server agrees (a local run
  // with LABS_KIND_NODE_IMAGE may have written it from another image).
  const server = versionMinor(lab.record?.environment.versions.kubernetes);
  const pinnedRecord = server && server !== pinned ? undefined : lab.record;
  out.push(judge(lab, pinned, true, pinnedImage, pinnedRecord, stepSlug, pinnedRecord === lab.record ? undefined : `the last run reported Kubernetes ${lab.record!.environment.versions.kubernetes}, not ${pinned}`));
  for (const e of planMatrix(lab.id, lab.config)) {
    if (e.kubernetes === pinned) continue;
    const rec = lab.versionRecords?.[e.kubernetes];
    // A record counts for a release only if it says it ran there, on the image lab.yaml pins now.
    const trusted = rec && rec.kubernetes?.minor === e.kubernetes && rec.kubernetes.nodeImage === e.image && versionMinor(rec.kubernetes.server) === e.kubernetes ? rec : undefined;
    const note = e.held ? `not run: ${e.held}` : rec && !trusted ? `its record is not of ${e.image ?? `Kubernetes ${e.kubernetes}`}; it will be replaced by the next nightly run` : undefined;
    out.push(judge(lab, e.kubernetes, false, e.image, e.held ? undefined : trusted, stepSlug, note));
  }
  return out.sort((a, b) => compareMinor(a.kubernetes, b.kubernetes));
}

/** What the "Verified on" line shows of a release: small enough to pass into a page as a prop. */
export interface VersionChip {
  kubernetes: string;
  pinned: boolean;
  kind: StatusKind;
  /** Drifted blocks on this release. */
  drifted: number;
  /** When its record's run finished (ISO). */
  lastRun?: string;
  note?: string;
}

/** The chips of a list of releases; none when there is nothing to run on any of them. */
export function versionChips(versions: readonly VersionStatus[]): VersionChip[] {
  if (versions.every((v) => v.kind === 'skipped')) return [];
  return versions.map((v) => ({
    kubernetes: v.kubernetes,
    pinned: v.pinned,
    kind: v.kind,
    drifted: v.drifted.length,
    ...(v.record ? { lastRun: v.record.finishedAt } : {}),
    ...(v.note ? { note: v.note } : {}),
  }));
}

function judge(lab: Pick<SiteLab, 'id' | 'steps'>, kubernetes: string, pinned: boolean, image: string | undefined, record: LabRecord | undefined, stepSlug: string | undefined, note: string | undefined): VersionStatus {
  const { record: _pinned, ...rest } = lab as SiteLab;
  const rows = collectBlockRows({ ...rest, ...(record ? { record } : {}) }).filter((r) => !stepSlug || r.stepSlug === stepSlug);
  const counts = countStates(rows);
  return {
    kubernetes,
    pinned,
    kind: overallKind(counts),
    counts,
    ...(image ? { image } : {}),
    ...(record ? { record } : {}),
    ...(note ? { note } : !record ? { note: 'never run on this release' } : {}),
    drifted: rows.filter((r) => r.state === 'drifted'),
  };
}

function compareMinor(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am! - bm! || an! - bn!;
}
