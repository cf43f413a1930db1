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

/** What `labs verify --k8s <minor>` runs for one kind lab. */
export type K8sSelection =
  /** The node image to create the cluster from and the record to write (`<lab>` or `<lab>@<minor>`). */
  | { image: string | undefined; record: string; pinned: boolean; kubernetes: string }
  /** The lab cannot run on that minor release: why, and where in lab.yaml to look. */
  | { problem: string; hint: string; key: 'image' | 'matrix' };

/**
 * The node image and record of a kind lab on one Kubernetes minor release: the pinned image
 * (lab.yaml `kind.image`) when it is of that release, else the lab's runnable `kind.matrix`
 * entry for it. Never an image the lab does not pin by digest.
 */
export function selectK8sVersion(labId: string, config: Pick<LabConfig, 'kind'>, kubernetes: string): K8sSelection {
  const pinned = imageMinor(config.kind?.image);
  if (pinned === kubernetes) return { image: config.kind!.image, record: labId, pinned: true, kubernetes };
  const entry = planMatrix(labId, config).find((e) => e.kubernetes === kubernetes);
  const listed = (config.kind?.matrix ?? []).map((e) => e.kubernetes);
  if (!entry) {
    const known = [...(pinned ? [`${pinned} (kind.image)`] : []), ...listed];
    return {
      key: 'matrix',
      problem: `Kubernetes ${kubernetes} is not among the versions ${labId} is verified on${known.length > 0 ? ` (${known.join(', ')})` : ''}`,
      hint: `add { kubernetes: '${kubernetes}', image: kindest/node:v${kubernetes}.<patch>@sha256:<digest> } to kind.matrix in lab.yaml, both read from the release notes of the kind version in tools.json`,
    };
  }
  if (entry.held) return { key: 'matrix', problem: `${labId} cannot run on Kubernetes ${kubernetes}: ${entry.held}`, hint: 'fix the kind.matrix entry in lab.yaml' };
  return { image: entry.image, record: entry.record, pinned: false, kubernetes };
}

/** `v1.36.4` or `v1.36.4+k3s1` → `1.36`, for checking what a cluster really runs. */
export function versionMinor(version: string | undefined): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.|$)/.exec(version ?? '');
  return m ? `${m[1]}.${m[2]}` : undefined;
}
