import type { Block, CommandBlock, Step } from '../model/block.ts';
import type { Lab } from '../model/lab.ts';
import type { BlockResult } from '../model/result.ts';
import type { LabRunResult } from '../report/types.ts';

/** What a run tells whoever watches it (the console view). Every method is optional. */
export interface RunEvents {
  labStart?(lab: Lab, target: string): void;
  /** Work outside a block: setup, teardown, opening a session, starting a cluster, pulling images. */
  phase?(label: string): void;
  /** A line of progress from long work (image pull, cluster start). */
  progress?(line: string): void;
  stepStart?(step: Step): void;
  blockStart?(block: Block): void;
  /** A `wait=` block is being re-run. */
  retry?(block: CommandBlock, attempt: number, reason: string): void;
  blockEnd?(block: Block, result: BlockResult): void;
  labEnd?(run: LabRunResult): void;
}
