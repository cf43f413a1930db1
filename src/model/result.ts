/** Status of one block in a run (contract §6). */
export type BlockStatus = 'pass' | 'fail' | 'flaky' | 'skip' | 'error' | 'blocked';

/** One line of a rendered diff. */
export interface DiffLine {
  /** `=` matched, `-` expected but missing/different, `+` actual but unexpected, `~` matched through a volatile token or elision. */
  op: '=' | '-' | '+' | '~';
  text: string;
  /** Source line of the expected line, when there is one. */
  line?: number;
  /** Explanations of volatile tokens on this line, e.g. `10.0.0.128 → 10.244.0.7 (ipv4, bound)`. */
  notes?: string[];
}

/** What happened to one command of a block. */
export interface CommandResult {
  /** The command as written. */
  command: string;
  /** The command as run, after substituting bound example values. */
  ran: string;
  exitCode: number | null;
  /** Normalised actual output (secrets redacted when recorded). */
  output: string;
  durationMs: number;
  timedOut: boolean;
  ok: boolean;
  /** What went wrong: the output differed, the exit status did, or the command timed out. */
  failure?: 'output' | 'exit' | 'timeout';
  /** Why it failed, in one sentence. */
  reason?: string;
  diff?: DiffLine[];
}

/** The result of one block (a record, contract §6). */
export interface BlockResult {
  id: string;
  file: string;
  line: number;
  /** Hash of what was checked: commands, expected output, options. */
  hash: string;
  status: BlockStatus;
  attempts: number;
  durationMs: number;
  /** Why a block failed, errored, was skipped or blocked. */
  reason?: string;
  commands: CommandResult[];
  /** Example value → actual value, for the bindings this block used or made. */
  bindings: Record<string, string>;
  /** ISO time the block finished. */
  at: string;
}

/** Where a run happened. */
export interface RunEnvironment {
  target: 'local' | 'kind' | 'context';
  /** e.g. `{ kernel: "6.1.0", bash: "5.2.15", kind: "v0.31.0", kubernetes: "v1.35.0" }` */
  versions: Record<string, string>;
  os: string;
  node: string;
}

export interface RunSummary {
  passed: number;
  failed: number;
  flaky: number;
  skipped: number;
  errors: number;
  blocked: number;
}
