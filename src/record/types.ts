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
}
