import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { constants } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { CappedText, capText, MATCH_CAP } from '../model/cap-output.ts';
import { BackgroundJobs } from './background-jobs.ts';
import { environmentSaveFor, inheritsShellState } from './env-save.ts';
import { collectLeaderTree, collectTree, findTaggedProcesses, killNow, listProcesses, ownStartTime, readProcess, SESSION_TAG_VAR, terminate, type KillSet } from './process-group.ts';
import { SerialQueue } from './serial-queue.ts';
import type { AheadCommand, BackgroundHandle, CommandOutcome, RunCommandOptions, Session, SessionSpec } from './targets/types.ts';

/**
 * Milliseconds on a monotonic clock (the process's uptime: no wall-clock jumps). The global
 * `performance` loads Node's performance-timing modules on first use, a millisecond or more of
 * every start for one number.
 */
const now = (): number => process.uptime() * 1000;

/**
 * Environment pinned in every session so outputs are reproducible: no locale, timezone, colour or
 * terminal-width differences between machines. `spec.env` is applied on top.
 */
export const PINNED_ENV: Readonly<Record<string, string>> = {
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  TZ: 'UTC',
  COLUMNS: '200',
  NO_COLOR: '1',
  TERM: 'dumb',
  PAGER: 'cat',
};

/**
 * The shell of a session without `command`: interactive (so error messages read as in a terminal,
 * `bash: curl: command not found` rather than `bash: line 7: …`), without line editing (nothing is
 * echoed) and without start-up files (reproducible).
 */
export const DEFAULT_SHELL = 'bash --noprofile --norc --noediting -i';

/**
 * Shell text that empties the prompts: an interactive shell prints PS0, PS1, PS2 and what
 * PROMPT_COMMAND runs between commands, into what the runner reads as output. `unset` clears
 * every element of a PROMPT_COMMAND array. Pipe sessions run it after every command, pty
 * sessions when they start.
 */
export const EMPTY_PROMPTS = "PS0=''; PS1=''; PS2=''; unset PROMPT_COMMAND";

/** Quotes `text` as one POSIX shell word (single quotes; exact for every byte but NUL). */
export function quoteShell(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Random hex used in sentinels so command output can never fake one. */
export function createNonce(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Shell text that writes `content` byte-exactly to `relPath` (relative to the shell's cwd),
 * creating parent directories. The content travels base64-encoded in a here-document, so it
 * survives pseudo-terminals (no control characters, short lines) and remote shells alike.
 */
export function buildWriteFileCommand(relPath: string, content: string, nonce: string): string {
  const encoded = Buffer.from(content, 'utf8').toString('base64');
  const lines = encoded.match(/.{1,76}/g) ?? [];
  const path = quoteShell(relPath);
  const end = `__LT_EOF_${nonce}`;
  return [`mkdir -p -- "$(dirname -- ${path})" && base64 -d > ${path} <<'${end}'`, ...lines, end, ''].join('\n');
}

/**
 * Finds a token in a stream of chunks without re-scanning what it has already seen: each chunk is
 * searched together with the last `token.length - 1` characters held back from the previous one.
 * Text before the token is collected (and streamed to `onOutput`); total work is linear.
 */
export class MarkerScanner {
  private readonly token: string;
  private readonly onOutput: ((chunk: string) => void) | undefined;
  private readonly limit: number | undefined;
  /** The text so far, while it fits the limit (most outputs are a chunk or two). */
  private acc = '';
  /** Past the limit, only the first and last halves are kept (see `CappedText`). */
  private capped: CappedText | undefined;
  private hold = '';
  private found = false;

  constructor(token: string, onOutput?: (chunk: string) => void, limit?: number) {
    this.token = token;
    this.onOutput = onOutput;
    this.limit = limit;
  }

  /** Feeds a chunk; once the token appears, returns the text that followed it (possibly ''). */
  feed(chunk: string): string | undefined {
    if (this.found) return chunk;
    const text = this.hold + chunk;
    const at = text.indexOf(this.token);
    if (at >= 0) {
      this.found = true;
      this.hold = '';
      this.emit(text.slice(0, at));
      return text.slice(at + this.token.length);
    }
    const keep = Math.min(text.length, this.token.length - 1);
    this.emit(text.slice(0, text.length - keep));
    this.hold = text.slice(text.length - keep);
    return undefined;
  }

  /** Text before the token. With `includeHeld`, also what was held back (for a stream that ended early). */
  text(includeHeld = false): string {
    const held = includeHeld ? this.hold : '';
    if (this.capped) {
      if (held) this.capped.push(held);
      return this.capped.text();
    }
    // What CappedText would give: it gives what capText gives for the whole text.
    const all = this.acc + held;
    return this.limit !== undefined && all.length > this.limit ? capText(all, this.limit) : all;
  }

  private emit(text: string): void {
    if (text.length === 0) return;
    if (this.capped) this.capped.push(text);
    else if (this.limit !== undefined && this.acc.length + text.length > this.limit) {
      this.capped = new CappedText(this.limit);
      if (this.acc) this.capped.push(this.acc);
      this.acc = '';
      this.capped.push(text);
    } else this.acc += text;
    this.onOutput?.(text);
  }
}

/** How one exchange with the shell runs. */
interface ExchangeOptions {
  timeoutMs: number;
  onOutput?: (chunk: string) => void;
  takeIdle: boolean;
  restart: boolean;
  limit?: number;
  /** Save the exported environment after it (see `environmentSaveFor`). @default false */
  save?: boolean;
  /** Whether tracing may be on when it ends. @default what the session knows */
  mayTrace?: boolean;
}

/** Options of `openPipeSession`. */
export interface PipeSessionOptions {
  /** Value of `LABS_SESSION` for every process of this session (teardown finds them by it). */
  tag: string;
  /** How long the shell may take to answer its first sentinel. @default 30000 */
  startTimeoutMs?: number;
  /**
   * When the shell saves its exported environment (restored after a timeout): `auto` after the
   * commands that may change it (see `environmentSaveFor`), `always` after every command.
   * @default 'auto'
   */
  environmentSave?: 'auto' | 'always';
}

/** What an interactive program started from this session inherits. */
export interface SessionContext {
  cwd: string;
  /** Exported environment of the shell. */
  env: Record<string, string>;
  /** Process id of the shell itself (for its network namespace). */
  shellPid: number;
}

/** Opens a persistent shell (see `PipeSession`); rejects when the shell cannot start (e.g. a missing namespace). */
export async function openPipeSession(spec: SessionSpec, options: PipeSessionOptions): Promise<PipeSession> {
  const session = new PipeSession(spec, options);
  await session.start();
  return session;
}

/** What an exchange resolves with: the outcome, the folder after it, and whether tracing was on after it. */
type ExchangeOutcome = CommandOutcome & { cwd?: string; xtraceAfter?: boolean };

interface Exchange {
  scanner: MarkerScanner;
  phase: 'output' | 'trailer';
  trailer: string;
  started: number;
  settle: (outcome: ExchangeOutcome) => void;
  /** The line typed into the shell: the command, then the sentinel (typed again after a restart). */
  line: string;
  timeoutMs: number;
  restart: boolean;
  takeIdle: boolean;
  /** Whether `set -x` was on when it started (its trace then begins with the protocol's lines). */
  xtraceBefore: boolean;
  done: Promise<ExchangeOutcome>;
}

/** A command typed ahead, waiting to be claimed by `run`. */
interface AheadClaim extends AheadCommand {
  ex: Exchange;
}

/** At most this many commands, and about this much text, are typed ahead at once. */
export const AHEAD_LIMIT = { commands: 500, chars: 256 * 1024 };

interface Shell {
  child: ChildProcess;
  pid: number;
  exited: Promise<void>;
  stdoutClosed: Promise<void>;
  exitCode: number | null;
  /** Process id of the shell reading our commands (differs from `pid` when `spec.command` wraps it). */
  innerPid: number;
}

/**
 * One long-lived shell fed through a pipe: commands are typed one after another, so cwd, variables,
 * functions and `$?` carry over as in a terminal. Each command is passed to `eval` as one quoted
 * word with stdin from /dev/null (so `cat` cannot eat the protocol, and a syntax error stays inside
 * the eval), followed by a sentinel carrying a random nonce, the exit status and `$PWD`.
 */
export class PipeSession implements Session {
  readonly name: string;
  readonly spec: SessionSpec;
  private readonly tag: string;
  private readonly startTimeoutMs: number;
  private readonly nonce = createNonce();
  private shell: Shell | undefined;
  private state: 'open' | 'closed' = 'open';
  private seq = 0;
  private lastStatus = 0;
  private lastCwd: string | undefined;
  /** Whether the user's commands turned on `set -x`: it is off while the protocol runs. */
  private xtrace = false;
  private pending: Exchange | undefined;
  /** Exchanges typed into the shell behind `pending`, in order (pipelining, see `runAhead`). */
  private waiting: Exchange[] = [];
  /** Whether the shell is being restarted after a timeout (`waiting` is then taken aside, to be typed again). */
  private restarting = false;
  /** Commands typed ahead that `run` has not claimed yet, in order. */
  private ahead: AheadClaim[] = [];
  private idle: string[] = [];
  private readonly queue = new SerialQueue();
  private readonly backgrounds = new BackgroundJobs();
  private closing: Promise<void> | undefined;
  /** Set by `close` (see `closedClean`). */
  private sweptClean = false;
  /** The one timer that watches the pending command's deadline (see `armDeadline`), and when it fires. */
  private deadlineTimer: NodeJS.Timeout | undefined;
  private deadlineAt = 0;
  /**
   * Whether every command saves the environment (and takes its status with stderr discarded,
   * since tracing may be on): asked for, a `command:` shell (its start-up files may define
   * functions), functions or shell options inherited from the environment, or a command that
   * may have left code behind (a function, an alias, a trap, `set` …).
   */
  private saveAlways: boolean;

  constructor(spec: SessionSpec, options: PipeSessionOptions) {
    this.name = spec.name;
    this.spec = spec;
    this.tag = options.tag;
    this.startTimeoutMs = options.startTimeoutMs ?? 30_000;
    this.saveAlways = options.environmentSave === 'always' || spec.command !== undefined || inheritsShellState({ ...process.env, ...spec.env });
  }

  get alive(): boolean {
    return this.state === 'open';
  }

  /** The session's working directory as of the last command (undefined before the first). */
  get cwd(): string | undefined {
    return this.lastCwd;
  }

  /** Process id of the shell's process group leader (undefined once closed). */
  get pid(): number | undefined {
    return this.shell?.pid;
  }

  /** Starts the shell and waits for its first sentinel. Called once by `openPipeSession`. */
  async start(): Promise<void> {
    await this.startShell(undefined);
  }

  run(command: string, opts: RunCommandOptions): Promise<CommandOutcome> {
    return this.serialize(async () => {
      this.assertOpen();
      const claim = this.ahead.shift();
      if (claim && (claim.command !== command || claim.timeoutMs !== opts.timeoutMs || opts.onOutput || opts.keepStatus)) {
        await this.abandonAhead();
        throw new Error(`session "${this.name}": \`${command.split('\n')[0]}\` is not the command typed ahead of it (\`${claim.command.split('\n')[0]}\`); the session was stopped so nothing runs out of order`);
      }
      const ex = claim
        ? claim.ex
        : this.startExchange(this.commandLine(command, this.lastStatus, false), { timeoutMs: opts.timeoutMs, onOutput: opts.onOutput, takeIdle: true, restart: true, limit: MATCH_CAP, save: this.saveAfter(command) });
      const { cwd: _cwd, xtraceAfter, ...outcome } = await ex.done;
      if (ex.xtraceBefore || xtraceAfter) outcome.output = untrace(outcome.output, ex.xtraceBefore);
      if (outcome.exitCode !== null && !outcome.closed && !opts.keepStatus) this.lastStatus = outcome.exitCode;
      return outcome;
    });
  }

  /** Commands typed ahead and not yet claimed by `run`. */
  get aheadCount(): number {
    return this.ahead.length;
  }

  /**
   * Pipelining: types every command into the shell in one write, each with its own sentinel, so
   * the shell runs them back to back without waiting for a round trip. `run` then claims them in
   * order, with the same text and timeout, and gets what it would have got typing each alone:
   * the output up to its sentinel, its status, `$?` carried from the one before, tracing as the
   * one before left it, its timeout counted from the end of the one before. A timeout restarts
   * the shell as usual and types the remaining commands into the new one; a shell that ends
   * (`exit`, `exec`, `set -e`) leaves the rest unrun (each command's stdin is /dev/null, so none
   * can read the ones behind it).
   *
   * While commands typed ahead are unclaimed, more can be typed behind them (the runner types a
   * long run of blocks in parts, so the shell starts on the first ones at once and few commands
   * wait at a time); they take their status and tracing from the shell like every command typed
   * ahead after the first. Resolves with whether they were typed: not while the shell is being
   * restarted after a timeout (the commands behind the one that timed out are typed again then).
   */
  runAhead(commands: readonly AheadCommand[]): Promise<boolean> {
    return this.serialize(async () => {
      this.assertOpen();
      const behind = this.ahead.length > 0;
      if (!behind && this.pending) throw new Error(`session "${this.name}": a command is already running`);
      if (commands.length === 0) return true;
      if (behind && (this.restarting || (this.pending === undefined && this.waiting.length > 0))) return false;
      const shell = this.shell;
      if (!shell) return false;
      const exs = commands.map((c, k) =>
        this.newExchange(this.commandLine(c.command, this.lastStatus, behind || k > 0), { timeoutMs: c.timeoutMs, takeIdle: true, restart: true, limit: MATCH_CAP, save: this.saveAfter(c.command) }),
      );
      for (let k = 0; k < commands.length; k++) this.ahead.push({ command: commands[k]!.command, timeoutMs: commands[k]!.timeoutMs, ex: exs[k]! });
      if (this.pending) {
        for (const ex of exs) this.waiting.push(ex);
      } else {
        this.waiting = exs.slice(1);
        this.activate(exs[0]!);
      }
      shell.child.stdin!.write(exs.map((ex) => ex.line).join(''));
      return true;
    });
  }

  /**
   * The shell text that runs a user's command. Tracing is off while the protocol runs; a user's
   * `set -x` is switched back on inside the eval, where `__lt_rc` (the one traced line, dropped
   * by `untrace`) restores `$?`. Typed ahead (`fromShell`), the status and the tracing to
   * restore are taken from what the shell saved after the command before, since they are not
   * known here yet; the text eval runs is the same.
   */
  private commandLine(command: string, status: number, fromShell: boolean): string {
    const text = command.endsWith('\n') ? command : `${command}\n`;
    if (fromShell) return `__lt_tr; __lt_rc "$__lt_s"; eval "$__lt_x"${quoteShell(text)} </dev/null`;
    const body = this.xtrace ? `set -x; __lt_rc ${status}\n${text}` : text;
    return `__lt_rc ${status}; eval ${quoteShell(body)} </dev/null`;
  }

  /**
   * Whether the shell saves its exported environment after `command` (read in the order the
   * commands run: one that may leave code behind makes every later one save).
   */
  private saveAfter(command: string): boolean {
    if (this.saveAlways) return true;
    const save = environmentSaveFor(command);
    if (save === 'always') this.saveAlways = true;
    return save !== 'skip';
  }

  /** Stops the session because typed-ahead commands cannot be run in the order asked for. */
  private async abandonAhead(): Promise<void> {
    this.ahead = [];
    await this.close();
  }

  /** Refuses other work while commands are typed ahead: it would run after them, out of order. */
  private async assertNothingAhead(what: string): Promise<void> {
    if (this.ahead.length === 0) return;
    await this.abandonAhead();
    throw new Error(`session "${this.name}": cannot ${what} while commands are typed ahead; the session was stopped so nothing runs out of order`);
  }

  startBackground(command: string): Promise<BackgroundHandle> {
    return this.serialize(async () => {
      this.assertOpen();
      await this.assertNothingAhead('start a background command');
      const file = this.backgrounds.nextFile();
      const text = command.endsWith('\n') ? command : `${command}\n`;
      // `set -m` gives the job its own process group (pgid = $!), so stop() can kill all of it;
      // running it in a subshell of this shell keeps cwd, variables and functions.
      const raw = `set -m; { eval ${quoteShell(text)}; } </dev/null >${quoteShell(file)} 2>&1 & set +m; printf '%s' "$!"`;
      const outcome = await this.exchange(raw, { timeoutMs: this.startTimeoutMs, takeIdle: false, restart: true });
      return this.backgrounds.adopt(this.name, command, outcome, file);
    });
  }

  writeFile(relPath: string, content: string): Promise<void> {
    return this.serialize(async () => {
      this.assertOpen();
      await this.assertNothingAhead(`write ${relPath}`);
      const text = buildWriteFileCommand(relPath, content, this.nonce);
      const outcome = await this.exchange(`eval ${quoteShell(text)} </dev/null`, { timeoutMs: this.startTimeoutMs, takeIdle: false, restart: true });
      if (outcome.exitCode !== 0) {
        throw new Error(`session "${this.name}": could not write ${relPath} in ${this.lastCwd ?? this.spec.cwd}: ${outcome.output.trim()}`);
      }
    });
  }

  /** Working directory, exported environment and shell pid, for a program started from this session. */
  captureContext(): Promise<SessionContext> {
    return this.serialize(async () => {
      this.assertOpen();
      await this.assertNothingAhead('read its environment');
      const outcome = await this.exchange('env -0', { timeoutMs: this.startTimeoutMs, takeIdle: false, restart: true });
      if (outcome.exitCode !== 0) throw new Error(`session "${this.name}": could not read its environment: ${outcome.output.trim()}`);
      const env: Record<string, string> = {};
      for (const entry of outcome.output.split('\0')) {
        const eq = entry.indexOf('=');
        if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
      }
      return { cwd: outcome.cwd ?? this.spec.cwd, env, shellPid: this.shell?.innerPid ?? 0 };
    });
  }

  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  /**
   * Whether the session is closed and closing found nothing of it left: its shell had ended by
   * itself, and a look at every process afterwards found none of its group and none carrying its
   * tag. Nothing of the session was then alive to start another process, so a target need not
   * look for its strays again.
   */
  get closedClean(): boolean {
    return this.state === 'closed' && this.sweptClean;
  }

  /**
   * Synchronous last resort (exit paths): SIGKILL to the shell, its descendants, background jobs
   * and every process carrying this session's tag. `close()` is the polite way.
   */
  killSync(): void {
    this.state = 'closed';
    killNow(this.collectKillSet(false));
  }

  private async closeNow(): Promise<void> {
    this.state = 'closed';
    await this.backgrounds.stopAll();
    const shell = this.shell;
    const envFile = this.localEnvFile();
    // With commands typed ahead, ending the input politely would let the shell run them: kill.
    if (shell && this.waiting.length > 0) {
      await this.stopShell(false);
    } else if (shell) {
      // A plain shell's file is removed from here once it is gone, which spares it an `rm`.
      if (!envFile) shell.child.stdin?.write(`rm -f -- "$__lt_envf"\n`);
      shell.child.stdin?.end();
      await Promise.race([shell.exited, sleep(300, undefined, { ref: false })]);
      this.sweptClean = await this.stopShell(false);
    } else {
      await terminate(this.collectKillSet(false), 500);
    }
    try {
      if (envFile) rmSync(envFile, { force: true });
    } catch {
      // Not a file we made (a folder of that name): left alone.
    }
    this.finishPending({ output: '', exitCode: shell?.exitCode ?? null, closed: true });
    this.failWaiting();
    this.ahead = [];
    this.backgrounds.removeFiles();
  }

  /**
   * Where a plain shell on this machine saves its environment (`$__lt_envf`, which it computes
   * the same way), so this process can remove it; undefined for a `command:` shell, whose files
   * may be elsewhere, and for a relative TMPDIR, which the shell resolves against its own folder.
   */
  private localEnvFile(): string | undefined {
    if (this.spec.command) return undefined;
    const tmp = this.spec.env?.TMPDIR ?? process.env.TMPDIR;
    const dir = tmp === undefined || tmp === '' ? '/tmp' : tmp;
    return dir.startsWith('/') ? `${dir}/.labs-env-${this.nonce}` : undefined;
  }

  private assertOpen(): void {
    if (this.state !== 'open' || !this.shell) throw new Error(`session "${this.name}" is closed; open it again before running commands in it`);
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }

  /** Spawns the shell (in its own process group), sends the protocol helpers and waits for the first sentinel. */
  private async startShell(cwd: string | undefined): Promise<void> {
    const env = { ...process.env, ...PINNED_ENV, ...this.spec.env, [SESSION_TAG_VAR]: this.tag };
    // fd 2 joins fd 1 inside the shell, so stdout and stderr arrive in one pipe in the order
    // written. A `command:` shell is started by a bash that does that first; the default shell
    // is started directly (one program start less) and does it as the first line it reads, so
    // only its start-up notices ("no job control in this shell") go to /dev/null.
    const [file, ...args] = this.spec.command ? ['bash', '--noprofile', '--norc', '-c', `exec 2>&1\nexec ${this.spec.command}`] : DEFAULT_SHELL.split(' ');
    const child = spawn(file!, args, {
      cwd: this.spec.cwd,
      env,
      detached: true,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    await spawned;
    const shell: Shell = {
      child,
      pid: child.pid!,
      exitCode: null,
      innerPid: child.pid!,
      exited: new Promise((resolve) => child.once('exit', () => resolve())),
      stdoutClosed: new Promise((resolve) => child.stdout!.once('close', () => resolve())),
    };
    this.shell = shell;
    this.idle = [];
    child.stdin!.on('error', () => undefined); // EPIPE when the shell died; handled by 'exit'.
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      if (this.shell === shell) this.onData(chunk);
    });
    child.once('exit', (code, signal) => {
      shell.exitCode = statusFromExit(code, signal);
      if (this.shell === shell) void this.onShellExit(shell);
    });
    // POSIX shell only, so `sh` (dash) and `busybox sh` sessions start too; bash-only settings are
    // guarded (a failing special built-in such as `set +H` ends a POSIX shell).
    const lines = [
      ...(this.spec.command ? [] : ['exec 2>&1']),
      `${EMPTY_PROMPTS}; PS4='+ '; unset HISTFILE`,
      `if [ -n "\${BASH_VERSION-}" ]; then set +H +o history; shopt -s expand_aliases; fi 2>/dev/null`,
      ...Object.entries({ ...PINNED_ENV, ...this.spec.env, [SESSION_TAG_VAR]: this.tag }).map(([k, v]) => `export ${k}=${quoteShell(v)}`),
      `__lt_envf=\${TMPDIR:-/tmp}/.labs-env-${this.nonce}`,
      `__lt_rc() { return "$1"; }`,
      // For commands typed ahead: what to put before the command so tracing and `$?` are as the
      // one before left them. A function, parsed once here: the line typed for each command must
      // hold only simple commands, since bash misparses a compound one (case, if) on the line
      // after a syntax error inside eval.
      `__lt_tr() { __lt_x=; case $__lt_f in *x*) __lt_x="set -x; __lt_rc $__lt_s\n";; esac; }`,
      // After each command: prompts emptied again (a command may set them; see EMPTY_PROMPTS),
      // the exported environment saved when asked
      // (restored if the shell must be restarted after a timeout; the runner asks after every
      // command that may have changed it), then the sentinel with status, flags and
      // folder. The token is printed in two halves so no input line (e.g. under `set -v`)
      // contains it whole. The file is overwritten in place (`<>`, no truncation: truncating
      // and rewriting a file costs a disk flush per command on ext4), and ends with `return`,
      // so sourcing it stops there and never reads a longer earlier version's tail.
      `__lt_end() { ${EMPTY_PROMPTS}; [ -z "$2" ] || { export -p; printf 'return 0\\n'; } 1<>"$__lt_envf" 2>/dev/null; printf '%s%s%s %s x%s %s\\n' '__LT_' 'E${this.nonce}_' "$1" "$__lt_s" "$__lt_f" "$PWD"; }`,
      ...(cwd ? [`cd -- ${quoteShell(cwd)} 2>/dev/null`, `[ -r "$__lt_envf" ] && . "$__lt_envf" 2>/dev/null`] : []),
    ];
    child.stdin!.write(`${lines.join('\n')}\n`);
    // Tracing may be on in a new shell (SHELLOPTS from a `command:` shell's start-up files).
    const hello = await this.exchange(`printf '%s' "$$"`, { timeoutMs: this.startTimeoutMs, takeIdle: false, restart: false, mayTrace: true });
    if (hello.closed || hello.timedOut || hello.exitCode !== 0) {
      await this.stopShell(false);
      const why = hello.timedOut ? `did not answer within ${this.startTimeoutMs} ms` : `exited with status ${hello.exitCode}`;
      throw new Error(
        `session "${this.name}": shell ${JSON.stringify(this.spec.command ?? 'bash')} ${why}` +
          (hello.output.trim() ? `: ${hello.output.trim()}` : '') +
          ' — check that the command starts a shell reading commands on stdin',
      );
    }
    shell.innerPid = Number(/(\d+)$/.exec(hello.output)?.[1]) || shell.pid;
    this.lastStatus = 0;
  }

  /**
   * Sends `raw` followed by the sentinel and resolves with everything printed before the sentinel.
   * `takeIdle`: output that arrived between commands (stray background writes) counts as this
   * command's, as it would appear on a terminal. `restart`: on timeout, start a fresh shell.
   */
  private exchange(raw: string, opts: ExchangeOptions): Promise<ExchangeOutcome> {
    return this.startExchange(raw, opts).done;
  }

  /** Starts an exchange now: it becomes the pending one, then its line is typed. */
  private startExchange(raw: string, opts: ExchangeOptions): Exchange {
    const shell = this.shell!;
    const ex = this.newExchange(raw, opts);
    this.activate(ex);
    // On the command's own line, so an interactive shell prints no prompt between them.
    if (this.pending === ex) shell.child.stdin!.write(ex.line);
    return ex;
  }

  private newExchange(raw: string, opts: ExchangeOptions): Exchange {
    const { timeoutMs, onOutput, takeIdle, restart, limit, save } = opts;
    // Tracing can be on after this command only if it was on, or if this or an earlier command
    // may have turned it on: `set -x` and every other way to it (a function, eval, a command
    // name the shell expands …) makes the session save always. Without that, the status is
    // taken without redirecting stderr, which costs the shell more than the rest of the line.
    const mayTrace = opts.mayTrace ?? (this.xtrace || this.saveAlways);
    const seq = ++this.seq;
    const token = `__LT_E${this.nonce}_${seq} `;
    let settle!: (outcome: ExchangeOutcome) => void;
    const done = new Promise<ExchangeOutcome>((resolve) => (settle = resolve));
    return {
      scanner: new MarkerScanner(token, onOutput, limit),
      phase: 'output',
      trailer: '',
      started: now(),
      settle,
      // The status and flags are taken, and tracing switched off, silently (when tracing may be
      // on, the group's stderr is discarded, and with it its trace).
      line: `${raw}; { __lt_s=$?; __lt_f=$-; set +x; }${mayTrace ? ' 2>/dev/null' : ''}; __lt_end ${seq}${save ? ' s' : ''}\n`,
      timeoutMs,
      restart,
      takeIdle,
      xtraceBefore: false,
      done,
    };
  }

  /** Makes `ex` the pending exchange: its clock starts, and it takes the output waiting for it. */
  private activate(ex: Exchange): void {
    ex.started = now();
    ex.xtraceBefore = this.xtrace;
    this.pending = ex;
    const waiting = ex.takeIdle ? this.idle.splice(0) : [];
    for (const chunk of waiting) this.onData(chunk);
    if (this.pending !== ex) return;
    this.armDeadline(ex);
  }

  /**
   * Makes sure a timer fires by the time `ex` (now pending) is due. One timer serves a whole run
   * of commands typed ahead instead of one per command: a timer due no later than this deadline
   * is kept, and when it fires it checks the command pending then and waits again for what is
   * left of its time. It is cleared once nothing is pending, so an idle session holds no timer.
   */
  private armDeadline(ex: Exchange): void {
    const at = ex.started + ex.timeoutMs;
    if (this.deadlineTimer !== undefined && this.deadlineAt <= at) return;
    clearTimeout(this.deadlineTimer);
    this.deadlineAt = at;
    this.deadlineTimer = setTimeout(() => this.onDeadline(), Math.max(0, at - now()));
  }

  private onDeadline(): void {
    this.deadlineTimer = undefined;
    const ex = this.pending;
    if (!ex) return;
    // Timers count whole milliseconds; within one of the deadline is due.
    if (now() >= ex.started + ex.timeoutMs - 1) void this.onTimeout(ex, ex.restart);
    else this.armDeadline(ex);
  }

  private disarmDeadline(): void {
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
  }

  private onData(chunk: string): void {
    // Iterative: with commands typed ahead, one chunk may hold many sentinels.
    let next: string | undefined = chunk;
    while (next !== undefined) next = this.feed(next);
  }

  /** Feeds output to the pending exchange; returns what the next one (typed ahead) takes over, if any. */
  private feed(chunk: string): string | undefined {
    const ex = this.pending;
    if (!ex) {
      this.idle.push(chunk);
      return undefined;
    }
    if (ex.phase === 'output') {
      const after = ex.scanner.feed(chunk);
      if (after === undefined) return undefined;
      ex.phase = 'trailer';
      ex.trailer = after;
    } else {
      ex.trailer += chunk;
    }
    const nl = ex.trailer.indexOf('\n');
    if (nl < 0) return undefined;
    const line = ex.trailer.slice(0, nl);
    const rest = ex.trailer.slice(nl + 1);
    if (rest) this.idle.push(rest);
    const m = /^(\d+) x(\S*) (.*)$/.exec(line);
    const cwd = m?.[3];
    if (cwd) this.lastCwd = cwd;
    if (m) this.xtrace = m[2]!.includes('x');
    this.complete(ex, { output: ex.scanner.text(), exitCode: m ? Number(m[1]) : null, timedOut: false, closed: false, cwd });
    // The next command typed ahead starts where this one ended, with what followed its sentinel.
    const next = this.waiting.shift();
    if (!next) return undefined;
    next.started = now();
    next.xtraceBefore = this.xtrace;
    this.pending = next;
    this.armDeadline(next);
    const idle = next.takeIdle ? this.idle.splice(0) : [];
    return idle.length > 0 ? idle.join('') : undefined;
  }

  private complete(ex: Exchange, outcome: Omit<CommandOutcome, 'durationMs'> & { cwd?: string }): void {
    if (this.pending !== ex) return;
    this.pending = undefined;
    // A command typed ahead behind this one is made pending next and keeps the timer.
    if (this.waiting.length === 0) this.disarmDeadline();
    ex.settle({ ...outcome, xtraceAfter: this.xtrace, durationMs: Math.round(now() - ex.started) });
  }

  /** Commands typed ahead that the shell never reached (it ended or could not be restarted): closed, unrun. */
  private failWaiting(): void {
    if (!this.pending) this.disarmDeadline();
    for (const ex of this.waiting.splice(0)) ex.settle({ output: '', exitCode: null, timedOut: false, closed: true, durationMs: 0, xtraceAfter: this.xtrace });
  }

  private finishPending(outcome: { output: string; exitCode: number | null; closed: boolean }): void {
    const ex = this.pending;
    if (ex) this.complete(ex, { output: ex.scanner.text(true) + outcome.output, exitCode: outcome.exitCode, timedOut: false, closed: outcome.closed });
  }

  /** The shell ended by itself (`exit`, killed from outside): the session is closed. */
  private async onShellExit(shell: Shell): Promise<void> {
    // Output written just before exiting may still be in the pipe; a leftover child holding the
    // pipe open must not keep us waiting, hence the short cap.
    await Promise.race([shell.stdoutClosed, sleep(200, undefined, { ref: false })]);
    if (this.shell !== shell || this.state === 'closed') return;
    this.state = 'closed';
    const ex = this.pending;
    if (ex) this.complete(ex, { output: ex.scanner.text(true), exitCode: shell.exitCode, timedOut: false, closed: true });
    this.failWaiting();
    // Like closing a terminal: what the shell left running in its group goes too (jobs from
    // startBackground stay until stopped: they are handles the caller owns).
    await this.stopShell(true);
  }

  private async onTimeout(ex: Exchange, restart: boolean): Promise<void> {
    if (this.pending !== ex) return;
    this.pending = undefined;
    this.restarting = true;
    try {
      await this.restartAfter(ex, restart);
    } finally {
      this.restarting = false;
    }
  }

  private async restartAfter(ex: Exchange, restart: boolean): Promise<void> {
    // Commands typed ahead were never reached (the shell was busy with this one): they are typed
    // again into the new shell.
    const behind = this.waiting.splice(0);
    const output = ex.scanner.text(true);
    await this.stopShell(true);
    let restarted = false;
    if (this.state === 'open' && restart) {
      try {
        await this.startShell(this.lastCwd);
        restarted = true;
      } catch {
        this.state = 'closed';
      }
    }
    ex.settle({ output, exitCode: null, timedOut: true, closed: !restarted, durationMs: Math.round(now() - ex.started), xtraceAfter: this.xtrace });
    this.waiting = behind;
    if (!restarted || !this.shell || this.state !== 'open') {
      this.failWaiting();
      return;
    }
    const next = this.waiting.shift();
    if (!next) return;
    const shell = this.shell;
    this.activate(next);
    shell.child.stdin!.write([next, ...this.waiting].map((w) => w.line).join(''));
  }

  /**
   * Kills the shell's process group, the groups of its descendants and tagged strays. Resolves
   * with whether there was nothing to kill: the shell had ended, and the look at the machine's
   * processes found nothing of its group and nothing carrying the session's tag.
   */
  private async stopShell(keepBackgrounds: boolean): Promise<boolean> {
    const shell = this.shell;
    const ended = shell === undefined || shell.exitCode !== null;
    const set = this.collectKillSet(keepBackgrounds);
    this.shell = undefined;
    killNow(set);
    if (shell) await Promise.race([shell.exited, sleep(2000, undefined, { ref: false })]);
    await terminate(set, 0);
    return ended && set.pids.size === 0;
  }

  private collectKillSet(keepBackgrounds: boolean): KillSet & { pids: Set<number>; pgids: Set<number> } {
    // One snapshot of the machine's processes serves both searches; only processes younger
    // than this one can carry the tag it made.
    const processes = listProcesses();
    const { pgids, pids } = collectLeaderTree(this.shell?.pid, processes);
    for (const p of findTaggedProcesses(this.tag, { processes, startedSince: ownStartTime() })) {
      pids.add(p.pid);
    }
    if (!keepBackgrounds) {
      for (const job of this.backgrounds.pgids) pgids.add(job);
    } else {
      for (const job of this.backgrounds.pgids) {
        const tree = collectTree(job);
        pgids.delete(job);
        for (const g of tree.pgids) pgids.delete(g);
        for (const p of tree.pids) pids.delete(p);
        for (const p of pids) if (readProcess(p)?.pgid === job) pids.delete(p);
      }
    }
    pgids.delete(0);
    return { pgids, pids };
  }
}

/**
 * Trace lines as a terminal shows them. `eval` adds one level of indirection to what it runs, so
 * a traced command inside it starts with one `+` more than at a prompt: one goes. With
 * `restored`, the first two trace lines are the protocol's `__lt_rc N` and its `return N`: they go.
 */
export function untrace(output: string, restored: boolean): string {
  let out = output.replace(/^\+(\++ )/gm, '$1');
  if (restored) out = out.replace(/^\+ __lt_rc \d+\n(?:\+ return \d+\n)?/, '');
  return out;
}

/** Exit status as a shell reports it: 128 + signal number for a killed process. */
export function statusFromExit(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}
