import type { BlockResult, RunEnvironment, RunSummary } from '../model/result.ts';

/** `verification/<lab-id>.json`: the latest result of every block of one lab. */
export interface LabRecord {
  /** Format version of this file. */
  version: 1;
  lab: string;
  title: string;
  /** When the run that last wrote this file started and finished (ISO). */
  startedAt: string;
  finishedAt: string;
  environment: RunEnvironment;
  summary: RunSummary;
  /** Whether the run was interrupted before every block ran. */
  partial: boolean;
  /** Block results in source order. Blocks not run keep their previous result when still current. */
  blocks: BlockResult[];
  /**
   * A kind lab's run on a Kubernetes minor release of its `kind.matrix` (`labs verify --k8s`),
   * recorded as `<lab>@<minor>.json`: the release, the node image and what the server said.
   * Absent on the pinned record. Extension.
   */
  kubernetes?: RecordKubernetes;
}

/** Which Kubernetes a matrix record was verified on. */
export interface RecordKubernetes {
  /** The minor release, `1.36`. */
  minor: string;
  /** The node image the cluster was created from (`kindest/node:v1.36.4@sha256:…`). */
  nodeImage: string;
  /** The server's version as the cluster reported it (`v1.36.4`), when it answered. */
  server?: string;
}
