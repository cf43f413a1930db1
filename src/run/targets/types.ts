/** Options of one command typed into a session. */
export interface RunCommandOptions {
  /** On expiry the command's process groups are killed and the session restarted (contract §3 `timeout=`). */
  timeoutMs: number;
  /** Receives output as it arrives (for live display); the full output is also in the outcome. */
  onOutput?: (chunk: string) => void;
  /** A probe of the runner's own (a `ready=` check): `$?` of the next command stays what it was. */
  keepStatus?: boolean;
}

/** What one command did. */
export interface CommandOutcome {
  /** stdout and stderr merged in arrival order, raw (ANSI escapes kept; `\r\n` of a pseudo-terminal turned into `\n`). */
  output: string;
  /** Exit status; null when the command timed out. For `openInteractive`, 0 once the program showed its prompt. */
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** The session closed during this command (e.g. `exit`); `exitCode` is then the shell's exit status. */
  closed: boolean;
}

/** A shell that keeps its state (cwd, variables, functions, `$?`) from one command to the next. */
export interface Session {
  readonly name: string;
  /** False once the session was closed (`exit`, `close()`, or a restart that failed). */
  readonly alive: boolean;
  /** Types one command (it may span lines: continuations, here-documents) and waits for it. */
  run(command: string, opts: RunCommandOptions): Promise<CommandOutcome>;
  /** Start a command that keeps running (server, watch); returns at once; stopped by stopBackground/close. */
  startBackground(command: string): Promise<BackgroundHandle>;
  /** Write a file relative to the session's current working directory (for file= blocks). */
  writeFile(relPath: string, content: string): Promise<void>;
  /** Stops background commands and ends the shell with everything it started. Idempotent. */
  close(): Promise<void>;
  /**
   * Pipelining (optional): types all of `commands` into the shell in one write, each with its
   * own sentinel, so the shell runs them back to back. Each is then claimed, in order, by `run`
   * with the same text and timeout, and gets the outcome it would have had alone (its timeout
   * counts from the end of the one before). Anything else while commands are typed ahead stops
   * the session with an error, never a silent reorder. While commands typed ahead are still
   * unclaimed, more may be typed behind them; resolves with whether `commands` were typed (a
   * session that is restarting its shell types none, and they then run one by one).
   */
  runAhead?(commands: readonly AheadCommand[]): Promise<boolean>;
  /** How many commands typed ahead `run` has not claimed yet. */
  readonly aheadCount?: number;
}

/** A command typed ahead (see `Session.runAhead`). */
export interface AheadCommand {
  command: string;
  timeoutMs: number;
}

/** A command started with `startBackground`. */
export interface BackgroundHandle {
  /** Process id of the job; it leads its own process group. */
  readonly pid: number;
  /** Everything the job printed so far (stdout and stderr merged). */
  output(): string;
  /** Kills the job's whole process group: SIGTERM, then SIGKILL after a short grace. Idempotent. */
  stop(): Promise<void>;
}

/** How to start a session. */
export interface SessionSpec {
  name: string;
  /** Shell command line that starts a shell reading commands, e.g. "ip netns exec n1 bash"; absent = bash. */
  command?: string;
  /** Working directory the shell starts in. */
  cwd: string;
  /** The lab's work folder: the session's cwd and every file the runner writes must stay inside it. Absent: no boundary (tests of a session alone). */
  root?: string;
  /** Extra environment, on top of the pinned reproducible one (LANG, TZ, COLUMNS, …). */
  env: Record<string, string>;
  /** The prompt transcripts show for this session, e.g. `$ ` or `/ # `. */
  prompt: string;
  /**
   * The program is not a shell (`python3`, a database client): lines are typed at its prompt and
   * a command's output is what it prints up to its next prompt. Only for sessions opened with
   * `opens=`.
   */
  repl?: boolean;
  /** A REPL's continuation prompt (`... `), dropped from outputs. */
  continuation?: string;
}

/** Where commands run: this machine (`local`), a kind cluster, or an existing kube context. */
export interface Target {
  readonly name: 'local' | 'kind' | 'context';
  /** Prefix of the `LABS_SESSION` value of every process it starts, when it tags them (a run that takes over a dead one's lock stops those). */
  readonly tag?: string;
  /** Temporary folders it made (a private kubeconfig's): a run that takes over a dead one's lock removes them. */
  readonly tempDirs?: readonly string[];
  openSession(spec: SessionSpec): Promise<Session>;
  /** Run `command` (typed at a prompt in `from`) as an interactive program that becomes a new session named spec.name, e.g. `ip netns exec pod-a busybox sh` or `kubectl run client -it --image=busybox`. Returns the session plus what the program printed before its first prompt. */
  openInteractive(from: Session, command: string, spec: SessionSpec, opts: RunCommandOptions): Promise<{ session: Session; outcome: CommandOutcome }>;
  /** Kill everything this target started (all sessions, background jobs, process groups). Idempotent; safe from a signal handler path. */
  dispose(): Promise<void>;
}
