import { setTimeout as sleep } from 'node:timers/promises';
import type { IPty } from '@lydell/node-pty';
import { MATCH_CAP } from '../model/cap-output.ts';
import { BackgroundJobs } from './background-jobs.ts';
import { collectLeaderTree, findTaggedProcesses, killNow, listProcesses, ownStartTime, SESSION_TAG_VAR, terminate, type KillSet } from './process-group.ts';
import { SerialQueue } from './serial-queue.ts';
import { buildWriteFileCommand, createNonce, EMPTY_PROMPTS, MarkerScanner, quoteShell } from './session.ts';
import type { BackgroundHandle, CommandOutcome, RunCommandOptions, Session, SessionSpec } from './targets/types.ts';

/** How the interactive program is started. */
export interface PtyLaunch {
  /** Command line typed at the prompt of the session it was opened from, e.g. `ip netns exec pod-a busybox sh`. */
  command: string;
  cwd: string;
  /** Full environment of the program (the opening session's exported environment plus spec.env). */
  env: Record<string, string>;
  /** Value of `LABS_SESSION` for this session's processes. */
  tag: string;
  /**
   * Enter the network and mount namespaces of this process first (the shell of the opening session,
   * when it lives in another namespace, e.g. a session started with `ip netns exec`).
   */
  namespacePid?: number;
  /** When no prompt appeared after this much quiet, press Enter once (`kubectl run -it` may miss the first prompt). */
  nudgeAfterMs?: number;
}

/** Terminal size of every pseudo-terminal; wide so tables are not wrapped. */
export const PTY_COLUMNS = 200;
export const PTY_ROWS = 50;

/**
 * Starts `launch.command` in a pseudo-terminal and waits until its output ends with `spec.prompt`.
 * The outcome holds what the program printed before that prompt; `exitCode` is 0 once the prompt
 * appeared. When the program exits first or the prompt never comes, the session is returned closed
 * (`alive` false) with `closed: true` (and `timedOut: true` for the latter).
 */
export async function openPtySession(spec: SessionSpec, launch: PtyLaunch, opts: RunCommandOptions): Promise<{ session: PtySession; outcome: CommandOutcome }> {
  spawnPty ??= (await import('@lydell/node-pty')).spawn;
  const session = new PtySession(spec, launch);
  const outcome = await session.start(opts);
  return { session, outcome };
}

/**
 * The pseudo-terminal library (a native addon), loaded by the first `openPtySession`: most runs
 * open no interactive program and need not pay for loading it.
 */
let spawnPty: typeof import('@lydell/node-pty').spawn | undefined;

type Phase = 'preamble' | 'output' | 'trailer';

interface Exchange {
  begin: MarkerScanner;
  end: MarkerScanner;
  phase: Phase;
  trailer: string;
  started: number;
  timer: NodeJS.Timeout | undefined;
  settle: (outcome: CommandOutcome) => void;
}

interface PromptWait {
  parts: string[];
  tail: string;
  settle: (result: { output: string; found: boolean }) => void;
}

/**
 * An interactive program (a shell such as `busybox sh`) driven through a pseudo-terminal, as a
 * reader would type into it. Each command is preceded and followed by sentinels with a random
 * nonce, printed in two halves so the terminal's echo of the typed line can never contain them;
 * whatever appears before the begin sentinel (echo, prompts) is dropped.
 */
export class PtySession implements Session {
  readonly name: string;
  readonly spec: SessionSpec;
  readonly launch: PtyLaunch;
  private readonly nonce = createNonce();
  private pty: IPty | undefined;
  private exitCode: number | null = null;
  private exited: Promise<void> = Promise.resolve();
  private state: 'open' | 'closed' = 'open';
  private seq = 0;
  private lastStatus = 0;
  private pending: Exchange | undefined;
  private promptWait: PromptWait | undefined;
  private idle: string[] = [];
  private readonly queue = new SerialQueue();
  private readonly backgrounds = new BackgroundJobs();
  private closing: Promise<void> | undefined;

  constructor(spec: SessionSpec, launch: PtyLaunch) {
    this.name = spec.name;
    this.spec = spec;
    this.launch = launch;
  }

  get alive(): boolean {
    return this.state === 'open';
  }

  /** Process id of the program in the terminal (leader of its session and process group). */
  get pid(): number | undefined {
    return this.pty?.pid;
  }

  /** Spawns the program and waits for its prompt; see `openPtySession`. */
  async start(opts: RunCommandOptions): Promise<CommandOutcome> {
    const started = performance.now();
    const duration = () => Math.round(performance.now() - started);
    const first = await this.spawnAndWaitForPrompt(opts);
    if (!first.found) {
      const exited = this.state === 'closed' || this.pty === undefined;
      await this.stopTerminal();
      this.state = 'closed';
      return { output: first.output, exitCode: exited ? this.exitCode : null, timedOut: !exited, closed: true, durationMs: duration() };
    }
    if (this.spec.repl) return { output: first.output, exitCode: 0, timedOut: false, closed: false, durationMs: duration() };
    const ready = await this.prepareShell(opts.timeoutMs);
    if (!ready) {
      await this.stopTerminal();
      this.state = 'closed';
      return { output: first.output, exitCode: this.exitCode, timedOut: this.exitCode === null, closed: true, durationMs: duration() };
    }
    return { output: first.output, exitCode: 0, timedOut: false, closed: false, durationMs: duration() };
  }

  run(command: string, opts: RunCommandOptions): Promise<CommandOutcome> {
    return this.serialize(async () => {
      this.assertOpen();
      if (this.spec.repl) return this.typeAtPrompt(command, opts);
      const outcome = await this.exchange(command, { timeoutMs: opts.timeoutMs, onOutput: opts.onOutput, takeIdle: true, restart: true });
      if (outcome.exitCode !== null && !outcome.closed && !opts.keepStatus) this.lastStatus = outcome.exitCode;
      return outcome;
    });
  }

  startBackground(command: string): Promise<BackgroundHandle> {
    return this.serialize(async () => {
      this.assertOpen();
      this.assertShell('background commands');
      const file = this.backgrounds.nextFile();
      // An interactive shell announces `&` jobs ("[1] 42") and later their end; inside a subshell
      // job control is off, so nothing is announced, and setsid gives the job its own group.
      const text = `( setsid sh -c ${quoteShell(command)} </dev/null >${quoteShell(file)} 2>&1 & printf '%s' "$!" )`;
      const outcome = await this.exchange(text, { timeoutMs: 30_000, takeIdle: false, restart: false });
      return this.backgrounds.adopt(this.name, command, outcome, file);
    });
  }

  writeFile(relPath: string, content: string): Promise<void> {
    return this.serialize(async () => {
      this.assertOpen();
      this.assertShell('file= blocks');
      const outcome = await this.exchange(buildWriteFileCommand(relPath, content, this.nonce), { timeoutMs: 30_000, takeIdle: false, restart: false });
      if (outcome.exitCode !== 0) throw new Error(`session "${this.name}": could not write ${relPath}: ${outcome.output.trim()}`);
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.state = 'closed';
      await this.backgrounds.stopAll();
      await this.stopTerminal();
      const ex = this.pending;
      if (ex) this.complete(ex, { output: toLines(ex.end.text(true)), exitCode: this.exitCode, timedOut: false, closed: true });
      this.backgrounds.removeFiles();
    })();
    return this.closing;
  }

  /** Synchronous last resort (exit paths): SIGKILL to the terminal's program, its descendants and jobs. */
  killSync(): void {
    this.state = 'closed';
    const set = this.collectKillSet();
    for (const job of this.backgrounds.pgids) set.pgids.add(job);
    killNow(set);
  }

  private assertOpen(): void {
    if (this.state !== 'open' || !this.pty) throw new Error(`session "${this.name}" is closed; open it again (a block with opens=${this.name}) before typing into it`);
  }

  private assertShell(what: string): void {
    if (this.spec.repl) throw new Error(`session "${this.name}" is a REPL (repl: true), not a shell: ${what} need a shell session`);
  }

  /**
   * A REPL command: its lines are typed one by one, and the output is what the program prints
   * until its prompt is back, without the terminal's echo of what was typed and without
   * continuation prompts. A prompt that never comes back times the command out and closes the
   * session (a REPL's state cannot be restored).
   */
  private async typeAtPrompt(command: string, opts: RunCommandOptions): Promise<CommandOutcome> {
    const started = performance.now();
    const wait = this.waitForPrompt(opts);
    this.pty?.write(command.split('\n').map((l) => `${l}\r`).join(''));
    const r = await wait;
    const durationMs = Math.round(performance.now() - started);
    if (!r.found) {
      const exited = this.state === 'closed' || this.pty === undefined;
      if (!exited) await this.stopTerminal();
      this.state = 'closed';
      return { output: stripEcho(r.output, command, this.spec), exitCode: exited ? this.exitCode : null, timedOut: !exited, closed: true, durationMs };
    }
    return { output: stripEcho(r.output, command, this.spec), exitCode: 0, timedOut: false, closed: false, durationMs };
  }

  /** Resolves with what the program printed once its output ends with the session's prompt (or on timeout or exit). */
  private waitForPrompt(opts: RunCommandOptions): Promise<{ output: string; found: boolean }> {
    return new Promise((resolve) => {
      const wait: PromptWait = {
        parts: [],
        tail: '',
        settle: (result) => {
          clearTimeout(timer);
          this.promptWait = undefined;
          resolve(result);
        },
      };
      const timer = setTimeout(() => wait.settle({ output: toLines(wait.parts.join('')), found: false }), opts.timeoutMs);
      this.promptWait = wait;
      this.promptFeed = (chunk) => {
        opts.onOutput?.(chunk);
        wait.parts.push(chunk);
        wait.tail = (wait.tail + chunk).slice(-4096);
        const at = findTrailingPrompt(wait.tail, this.spec.prompt);
        if (at < 0) return;
        const all = wait.parts.join('');
        wait.settle({ output: toLines(all.slice(0, all.length - (wait.tail.length - at))), found: true });
      };
    });
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }

  private spawnAndWaitForPrompt(opts: RunCommandOptions): Promise<{ output: string; found: boolean }> {
    const { command, cwd, env, namespacePid } = this.launch;
    const args = namespacePid ? ['nsenter', '-t', String(namespacePid), '-n', '-m', '--', 'bash', '-c', command] : ['bash', '-c', command];
    const pty = spawnPty!(args[0]!, args.slice(1), {
      name: env.TERM ?? 'dumb',
      cols: PTY_COLUMNS,
      rows: PTY_ROWS,
      cwd,
      env: { ...env, [SESSION_TAG_VAR]: this.launch.tag },
    });
    this.pty = pty;
    this.exitCode = null;
    this.idle = [];
    let markExited: () => void = () => undefined;
    this.exited = new Promise((resolve) => (markExited = resolve));
    pty.onData((chunk) => {
      if (this.pty === pty) this.onData(chunk);
    });
    pty.onExit(({ exitCode, signal }) => {
      this.exitCode = signal ? 128 + signal : exitCode;
      markExited();
      if (this.pty === pty) void this.onExit();
    });
    return new Promise((resolve) => {
      let nudged = false;
      let quietTimer: NodeJS.Timeout | undefined;
      const wait: PromptWait = {
        parts: [],
        tail: '',
        settle: (result) => {
          clearTimeout(timer);
          clearTimeout(quietTimer);
          this.promptWait = undefined;
          resolve(result);
        },
      };
      const timer = setTimeout(() => wait.settle({ output: toLines(wait.parts.join('')), found: false }), opts.timeoutMs);
      if (this.launch.nudgeAfterMs !== undefined) {
        const nudgeAfter = this.launch.nudgeAfterMs;
        const onQuiet = () => {
          if (!nudged && this.promptWait === wait) {
            nudged = true;
            this.pty?.write('\r');
          }
        };
        quietTimer = setTimeout(onQuiet, nudgeAfter);
        const original = opts.onOutput;
        opts = {
          ...opts,
          onOutput: (chunk) => {
            clearTimeout(quietTimer);
            if (!nudged) quietTimer = setTimeout(onQuiet, nudgeAfter);
            original?.(chunk);
          },
        };
      }
      const onOutput = opts.onOutput;
      this.promptWait = wait;
      this.promptFeed = (chunk) => {
        onOutput?.(chunk);
        wait.parts.push(chunk);
        wait.tail = (wait.tail + chunk).slice(-4096);
        const at = findTrailingPrompt(wait.tail, this.spec.prompt);
        if (at < 0) return;
        const all = wait.parts.join('');
        const cut = all.length - (wait.tail.length - at);
        wait.settle({ output: toLines(all.slice(0, cut)), found: true });
      };
    });
  }

  private promptFeed: ((chunk: string) => void) | undefined;

  /** Turns echo off, empties the prompts (sentinels delimit commands instead) and checks the protocol answers. */
  private async prepareShell(timeoutMs: number): Promise<boolean> {
    // History off: our wrapper lines must not end up in the user's shell history file.
    this.pty?.write(`stty -echo 2>/dev/null; ${EMPTY_PROMPTS}; unset HISTFILE; __lt_rc() { return "$1"; }\n`);
    const hello = await this.exchange(':', { timeoutMs: Math.max(timeoutMs, 5000), takeIdle: false, restart: false, raw: true });
    this.idle = [];
    this.lastStatus = 0;
    return !hello.timedOut && !hello.closed && hello.exitCode === 0;
  }

  private exchange(command: string, opts: { timeoutMs: number; onOutput?: (chunk: string) => void; takeIdle: boolean; restart: boolean; raw?: boolean }): Promise<CommandOutcome> {
    const seq = ++this.seq;
    const text = command.endsWith('\n') ? command : `${command}\n`;
    const body = opts.raw ? command : `eval ${quoteShell(text)} </dev/null`;
    const line =
      `printf '%s%s:\\n' __LT_ B${this.nonce}_${seq}; __lt_rc ${this.lastStatus}; ${body}\n` +
      `__lt_s=$?; printf '%s%s %s\\n' __LT_ E${this.nonce}_${seq} "$__lt_s"\n`;
    return new Promise((resolve) => {
      const ex: Exchange = {
        begin: new MarkerScanner(`__LT_B${this.nonce}_${seq}:`),
        end: new MarkerScanner(`__LT_E${this.nonce}_${seq} `, opts.onOutput, opts.raw ? undefined : MATCH_CAP),
        phase: 'preamble',
        trailer: '',
        started: performance.now(),
        timer: undefined,
        settle: resolve,
      };
      this.pending = ex;
      if (!opts.takeIdle) this.idle = [];
      for (const chunk of this.idle.splice(0)) this.onData(chunk);
      ex.timer = setTimeout(() => void this.onTimeout(ex, opts.restart, opts.timeoutMs), opts.timeoutMs);
      this.pty?.write(line);
    });
  }

  private onData(chunk: string): void {
    if (this.promptWait) {
      this.promptFeed?.(chunk);
      return;
    }
    const ex = this.pending;
    if (!ex) {
      this.idle.push(chunk);
      return;
    }
    let rest: string | undefined = chunk;
    if (ex.phase === 'preamble') {
      rest = ex.begin.feed(rest);
      if (rest === undefined) return;
      ex.phase = 'output';
    }
    if (ex.phase === 'output') {
      rest = ex.end.feed(rest);
      if (rest === undefined) return;
      ex.phase = 'trailer';
      ex.trailer = rest;
    } else {
      ex.trailer += rest;
    }
    const nl = ex.trailer.indexOf('\n');
    if (nl < 0) return;
    const m = /^(\d+)/.exec(ex.trailer);
    this.complete(ex, { output: stripBeginLine(ex.end.text()), exitCode: m ? Number(m[1]) : null, timedOut: false, closed: false });
  }

  private complete(ex: Exchange, outcome: Omit<CommandOutcome, 'durationMs'>): void {
    if (this.pending !== ex) return;
    this.pending = undefined;
    clearTimeout(ex.timer);
    ex.settle({ ...outcome, durationMs: Math.round(performance.now() - ex.started) });
  }

  /** The program ended by itself (`exit`): the session is closed. */
  private async onExit(): Promise<void> {
    if (this.state === 'closed') return;
    await sleep(50, undefined, { ref: false }); // let the last output the terminal delivered be processed
    if (!this.alive) return;
    this.state = 'closed';
    const wait = this.promptWait;
    if (wait) wait.settle({ output: toLines(wait.parts.join('')), found: false });
    const ex = this.pending;
    if (ex) this.complete(ex, { output: stripBeginLine(ex.end.text(true)), exitCode: this.exitCode, timedOut: false, closed: true });
    await this.stopTerminal();
  }

  private async onTimeout(ex: Exchange, restart: boolean, timeoutMs: number): Promise<void> {
    if (this.pending !== ex) return;
    this.pending = undefined;
    const output = stripBeginLine(ex.end.text(true));
    await this.stopTerminal();
    let restarted = false;
    if (restart && this.state === 'open') {
      const first = await this.spawnAndWaitForPrompt({ timeoutMs: Math.max(timeoutMs, 10_000) });
      restarted = first.found && (await this.prepareShell(timeoutMs));
      if (!restarted) await this.stopTerminal();
    }
    if (!restarted) this.state = 'closed';
    ex.settle({ output, exitCode: null, timedOut: true, closed: !restarted, durationMs: Math.round(performance.now() - ex.started) });
  }

  /** Kills the terminal's program with its descendants (each job of an interactive shell has its own group). */
  private async stopTerminal(): Promise<void> {
    const pty = this.pty;
    const set = this.collectKillSet();
    this.pty = undefined;
    killNow(set);
    if (pty) {
      try {
        pty.kill('SIGKILL');
      } catch {
        // already gone
      }
      await Promise.race([this.exited, sleep(2000, undefined, { ref: false })]);
    }
    await terminate(set, 0);
  }

  private collectKillSet(): { pgids: Set<number>; pids: Set<number> } & KillSet {
    const processes = listProcesses();
    const { pgids, pids } = collectLeaderTree(this.pty?.pid, processes);
    const jobs = new Set(this.backgrounds.pgids);
    for (const p of findTaggedProcesses(this.launch.tag, { processes, startedSince: ownStartTime() })) if (!jobs.has(p.pgid)) pids.add(p.pid);
    for (const job of jobs) pgids.delete(job);
    return { pgids, pids };
  }
}

/** A terminal ends lines with `\r\n`; transcripts use `\n`. Lone `\r` (progress redraws) stays. */
export function toLines(text: string): string {
  return text.replaceAll('\r\n', '\n');
}

/**
 * A REPL's output without the terminal's echo of the typed lines and the continuation prompts
 * before them (`... `), and without the escape sequences line editors add.
 */
export function stripEcho(output: string, command: string, spec: Pick<SessionSpec, 'continuation'>): string {
  let rest = output.replace(ANSI, '').replace(/\r(?!\n)/g, '');
  for (const typed of command.split('\n')) {
    for (const prefix of [spec.continuation, spec.continuation?.trimEnd(), ''].filter((p): p is string => p !== undefined)) {
      if (rest.startsWith(`${prefix}${typed}\n`)) {
        rest = rest.slice(prefix.length + typed.length + 1);
        break;
      }
    }
  }
  // A block ends its input with an empty line; the REPL shows a last continuation prompt for it.
  if (spec.continuation) while (rest.startsWith(`${spec.continuation.trimEnd()}\n`) || rest.startsWith(`${spec.continuation}\n`)) rest = rest.slice(rest.indexOf('\n') + 1);
  return rest;
}

/** The begin sentinel's own line break follows it in the output; drop it. */
function stripBeginLine(text: string): string {
  return toLines(text.replace(/^\r?\n/, ''));
}

const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;

/**
 * Where `prompt` starts if the terminal output ends with it (ignoring ANSI escapes after it, which
 * line editors print), else -1.
 */
export function findTrailingPrompt(tail: string, prompt: string): number {
  const at = tail.lastIndexOf(prompt);
  if (at < 0) return -1;
  const after = tail.slice(at + prompt.length).replace(ANSI, '');
  return after === '' ? at : -1;
}
