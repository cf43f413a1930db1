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
  /**
   * On a `-` line whose shape matched but whose values conflict with the bindings: the example,
   * the real value it would stand for, and the binding in the way (where and how it was made).
   */
  conflict?: DiffConflict;
}

/** A binding conflict, as `--update` and reports need it. */
export interface DiffConflict {
  example: string;
  actual: string;
  /** `example-bound`: the example already stands for `boundTo`; `actual-taken`: `other` stands for `actual`. */
  kind: 'example-bound' | 'actual-taken';
  boundTo?: string;
  other?: string;
  /** Where the binding in the way was made, e.g. `01-pods.mdx:12`. */
  origin?: string;
  /** How it was made (see `BindingHow`): `learned`, `typed`, `pinned` or `computed`. */
  how: 'learned' | 'typed' | 'pinned' | 'computed';
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
