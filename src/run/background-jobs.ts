import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectTree, terminate } from './process-group.ts';
import type { BackgroundHandle, CommandOutcome } from './targets/types.ts';

/**
 * The background jobs of one session (pipe or pseudo-terminal alike): each runs in its own process
 * group and writes its output to a file in a temporary directory owned by the session.
 */
export class BackgroundJobs {
  private readonly handles = new Set<FileBackground>();
  private dir: string | undefined;
  private seq = 0;

  /** Process group ids of the jobs not stopped yet. */
  get pgids(): number[] {
    return [...this.handles].map((h) => h.pid);
  }

  /** Path of the output file for the next job (the directory is created on first use). */
  nextFile(): string {
    this.dir ??= mkdtempSync(join(tmpdir(), 'labs-bg-'));
    return join(this.dir, `${++this.seq}.out`);
  }

  /**
   * Takes over the job whose process id the start command printed last, writing to `file`.
   * Throws, naming the session and the command, when the start command failed or printed no pid.
   */
  adopt(sessionName: string, command: string, outcome: CommandOutcome, file: string): BackgroundHandle {
    const pid = Number(/(\d+)\s*$/.exec(outcome.output)?.[1]);
    if (outcome.exitCode !== 0 || !Number.isInteger(pid) || pid <= 1) {
      throw new Error(`session "${sessionName}": could not start background command ${JSON.stringify(command)}: ${outcome.output.trim()}`);
    }
    const handle = new FileBackground(pid, file, () => this.handles.delete(handle));
    this.handles.add(handle);
    return handle;
  }

  /** Stops every job (their output stays readable from the handles). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.handles].map((b) => b.stop()));
  }

  /** Deletes the output directory; call once the session is closed. */
  removeFiles(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One job of `BackgroundJobs`: its own process group, its output in a file. */
class FileBackground implements BackgroundHandle {
  readonly pid: number;
  private readonly file: string;
  private readonly onStopped: () => void;
  private final: string | undefined;
  private stopping: Promise<void> | undefined;

  constructor(pid: number, file: string, onStopped: () => void) {
    this.pid = pid;
    this.file = file;
    this.onStopped = onStopped;
  }

  output(): string {
    if (this.final !== undefined) return this.final;
    try {
      return readFileSync(this.file, 'utf8');
    } catch {
      return '';
    }
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const tree = collectTree(this.pid);
      tree.pgids.add(this.pid);
      await terminate(tree, 1000);
      this.final = this.output();
      this.onStopped();
    })();
    return this.stopping;
  }
}
