import type { Lab } from '../model/lab.ts';
import type { BlockResult, RunEnvironment, RunSummary } from '../model/result.ts';

/** Everything one `labs verify` learned about one lab. */
export interface LabRunResult {
  lab: Lab;
  results: BlockResult[];
  environment: RunEnvironment;
  startedAt: string;
  finishedAt: string;
  /** Ctrl-C / SIGTERM arrived before every block ran. */
  interrupted: boolean;
  /** A failure outside any block: setup or teardown that failed, a target that could not start. */
  labErrors: string[];
}

/** The results of a whole `labs verify` run, as reporters see them. */
export interface RunReport {
  labs: LabRunResult[];
  summary: RunSummary;
  interrupted: boolean;
}
