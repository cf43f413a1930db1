/**
 * The Kubernetes version matrix of a kind lab (lab.yaml `kind.matrix`, an extension): the
 * Kubernetes minor releases, besides the pinned node image's, that the nightly job should also
 * verify the lab on, each with its kind node image pinned by digest. An entry without a pinned
 * image is not run, and the plan says so; a digest is never guessed. Pure.
 *
 * Records per version are kept as `verification/<lab>@<minor>.json` (e.g.
 * `k8s-networking-101@1.36.json`) next to the pinned `verification/<lab>.json`; the strict site
 * build checks the pinned record only.
 */
import type { LabConfig } from './lab.ts';

/** `kindest/node:v1.36.4@sha256:<64 hex>`: a node image pinned by tag and digest. */
const PINNED_IMAGE = /^kindest\/node:v(\d+)\.(\d+)\.\d+@sha256:[0-9a-f]{64}$/;

/** What the plan decided for one matrix entry. */
export interface MatrixEntryPlan {
  /** The minor release, `1.36`. */
  kubernetes: string;
  image?: string;
  /** The record's name: `<lab>@<minor>`. */
  record: string;
  /** Why it is not run; absent when it can run. */
  held?: string;
}

/** The minor release of a node image (`kindest/node:v1.37.0@sha256:…` → `1.37`), if it has one. */
export function imageMinor(image: string | undefined): string | undefined {
  const m = /^kindest\/node:v(\d+)\.(\d+)\./.exec(image ?? '');
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** The record name of a lab on a Kubernetes minor release. */
export function matrixRecordName(labId: string, kubernetes: string): string {
  return `${labId}@${kubernetes}`;
}

/** Each `kind.matrix` entry of a lab, runnable or held with the reason. */
export function planMatrix(labId: string, config: Pick<LabConfig, 'kind'>): MatrixEntryPlan[] {
  const pinned = imageMinor(config.kind?.image);
  return (config.kind?.matrix ?? []).map((e) => {
    const plan: MatrixEntryPlan = { kubernetes: e.kubernetes, record: matrixRecordName(labId, e.kubernetes), ...(e.image ? { image: e.image } : {}) };
    if (!e.image) {
      return { ...plan, held: `no node image pinned for Kubernetes ${e.kubernetes}: set kind.matrix image to kindest/node:v${e.kubernetes}.<patch>@sha256:<digest>, both read from the release notes of the kind version in tools.json` };
    }
    const m = PINNED_IMAGE.exec(e.image);
    if (!m) return { ...plan, held: `${e.image} is not pinned by digest (kindest/node:v${e.kubernetes}.<patch>@sha256:<64 hex digits>)` };
    if (`${m[1]}.${m[2]}` !== e.kubernetes) return { ...plan, held: `${e.image} is Kubernetes ${m[1]}.${m[2]}, not ${e.kubernetes}` };
    if (pinned === e.kubernetes) return { ...plan, held: `Kubernetes ${e.kubernetes} is the pinned node image's already (kind.image)` };
    return plan;
  });
}
