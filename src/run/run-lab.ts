import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import type { Block, Command, CommandBlock, FileBlock, ReadyProbe, Step } from '../model/block.ts';
import { hashBlock } from '../model/hash.ts';
import { DEFAULT_HOST_PROMPT, HOST_SESSION, type Lab, type SessionDef } from '../model/lab.ts';
import type { BlockResult, BlockStatus, CommandResult, RunEnvironment } from '../model/result.ts';
import { addPairs, Bindings } from '../normalise/bindings.ts';
import { buildContext, CONSTANT_ORIGIN, CONSTANT_VALUES } from '../normalise/context.ts';
import { normaliseOutput } from '../normalise/normalise.ts';
import type { NormaliseContext } from '../normalise/tokenize.ts';
import { matchOutput } from '../match/compare.ts';
import type { LabRunResult } from '../report/types.ts';
import type { RunEvents } from './events.ts';
import { addExamplesOf, matchLiteral, PlainLines } from './literal-match.ts';
import { AHEAD_LIMIT, quoteShell } from './session.ts';
import type { AheadCommand, BackgroundHandle, CommandOutcome, Session, SessionSpec, Target } from './targets/types.ts';

/** Options of {@link runLab}. */
export interface RunLabOptions {
  target: Target;
  /** Working directory of every session (the reader's home folder); the caller creates and removes it. */
  workDir: string;
  environment: RunEnvironment;
  /** Run only these steps (absolute paths of step files). @default every step */
  onlySteps?: ReadonlySet<string>;
  /** Example value → actual value, known before the run (e.g. computed by the target). */
  initialBindings?: Record<string, string>;
  events?: RunEvents;
  /** Aborting stops the run: the running command is killed, teardown still runs. */
  signal?: AbortSignal;
  /** Pause between attempts of a `wait=` block. @default 500 */
  retryIntervalMs?: number;
  /** Timeout of each setup/teardown command and of computing bindings. @default 120000 */
  hookTimeoutMs?: number;
}

/** Raised inside the runner for problems that make a block an `error` rather than a `fail`. */
class BlockError extends Error {}

/**
 * Runs a lab: setup, every step's blocks in order in their sessions, teardown (always, also after
 * a failure or an abort). Returns one result per block that ran, was skipped or was blocked.
 */
export async function runLab(lab: Lab, opts: RunLabOptions): Promise<LabRunResult> {
  const startedAt = new Date().toISOString();
  const ev = opts.events ?? {};
  const ctx: NormaliseContext = buildContext(lab.config);
  const bindings = new Bindings(opts.initialBindings ?? {});
  // Pinned values and constant addresses stand for themselves; no example can take them.
  bindings.pinValues(CONSTANT_VALUES, CONSTANT_ORIGIN);
  bindings.pinValues(lab.config.pin ?? [], `${lab.configFile} pin`);
  const results: BlockResult[] = [];
  const labErrors: string[] = [];
  const sessions = new Map<string, Session>();
  const hookTimeoutMs = opts.hookTimeoutMs ?? 120_000;
  const defs: Record<string, SessionDef> = { [HOST_SESSION]: { prompt: DEFAULT_HOST_PROMPT }, ...lab.config.sessions };
  // Read between every two blocks: a flag the abort listener sets costs less than the signal's getter.
  let stopped = opts.signal?.aborted === true;
  const aborted = () => stopped;

  // On abort, closing the sessions kills whatever is running in them, so the pending command returns.
  const onAbort = () => {
    stopped = true;
    for (const s of sessions.values()) void s.close().catch(() => {});
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const specOf = (name: string): SessionSpec => {
    const def = defs[name];
    return {
      name,
      command: def?.command,
      cwd: def?.cwd ? join(opts.workDir, def.cwd) : opts.workDir,
      root: opts.workDir,
      env: def?.env ?? {},
      prompt: def?.prompt ?? DEFAULT_HOST_PROMPT,
      ...(def?.repl ? { repl: true } : {}),
      ...(def?.continuation ? { continuation: def.continuation } : {}),
    };
  };

  /** Sessions that `typeAhead` could not open: the block it opened them for fails with that error, without a second try. */
  const openFailures = new Map<string, Error>();

  const getSession = async (name: string): Promise<Session> => {
    const open = sessions.get(name);
    if (open?.alive) return open;
    const failed = openFailures.get(name);
    if (failed) {
      openFailures.delete(name);
      throw failed;
    }
    const def = defs[name];
    if (name !== HOST_SESSION && !def?.command) {
      throw new BlockError(`session "${name}" is not open: a block with opens=${name} must run before this one`);
    }
    ev.phase?.(`opening session ${name}${def?.command ? ` (${def.command})` : ''}`);
    const s = await opts.target.openSession(specOf(name));
    sessions.set(name, s);
    return s;
  };

  const closeSessions = async (keep?: string) => {
    for (const [name, s] of [...sessions]) {
      if (name === keep) continue;
      sessions.delete(name);
      await s.close().catch(() => {});
    }
  };

  /**
   * What `typeAhead` substituted into each command it typed, with the version of the bindings it
   * substituted with: `attemptBlock` takes it instead of substituting again while the bindings
   * are still that version (the same bindings give the same text and uses).
   */
  const substituted = new Map<Command, Substitution>();

  /** Which expected lines typing ahead found to be plain text (see `matchLiteral`). */
  const plainLines = new PlainLines();

  /** A run of blocks typed ahead in parts: where the next part starts (see `typeMore`). */
  let more: AheadRun | undefined;

  /** The background commands of the running step, with their results (their output is filled in when the step ends). */
  let backgroundResults: { job: BackgroundHandle; result: CommandResult }[] = [];

  ev.labStart?.(lab, opts.target.name);
  // With only some steps asked for, the steps before them are replayed first, unrecorded, so
  // the state they build (files, namespaces, values) is there, as it is for a reader.
  const lastAsked = opts.onlySteps ? lab.steps.findLastIndex((s) => opts.onlySteps!.has(s.absPath)) : lab.steps.length - 1;
  const steps = lab.steps.slice(0, lastAsked + 1);
  const isReplay = (s: Step) => opts.onlySteps !== undefined && !opts.onlySteps.has(s.absPath);
  /** Results of the step being replayed: counted for a summary line, never recorded or reported. */
  let replayed: BlockResult[] | undefined;
  const push = (block: Block, r: BlockResult) => {
    if (replayed) {
      r.at = new Date().toISOString();
      replayed.push(r);
    } else pushResult(results, ev, block, r);
  };
  let blockedReason: string | undefined;

  try {
    // Setup, then the lab's computed bindings.
    if ((lab.config.setup ?? []).length > 0) {
      ev.phase?.('setup');
      const failed = await runHooks(lab.config.setup ?? [], 'setup', await getSession(HOST_SESSION), hookTimeoutMs);
      if (failed) {
        labErrors.push(failed);
        // The output is in the lab's errors, said once; each blocked block names only the command.
        blockedReason = `lab setup failed: ${failed.split('\n')[0]!.replace(/:$/, '')}`;
      }
    }
    if (!blockedReason && lab.config.bindings) {
      ev.phase?.('computing bindings');
      const host = await getSession(HOST_SESSION);
      for (const [example, command] of Object.entries(lab.config.bindings)) {
        const o = await host.run(command, { timeoutMs: hookTimeoutMs });
        const value = normaliseOutput(o.output).join('\n').trim();
        if (o.exitCode !== 0 || !value || !bindings.tryBind(example, value, 'binding')) {
          blockedReason = `${lab.configFile}: binding ${example} could not be computed: \`${command}\` exited ${o.exitCode} and printed ${JSON.stringify(value)}`;
          labErrors.push(blockedReason);
          break;
        }
      }
    }

    for (const step of steps) {
      if (aborted()) break;
      // Each step is a scope: a value learned in an earlier step may be taken by a new example
      // (a cluster reuses a freed pod address); within a step two examples never share one.
      bindings.beginScope();
      if (isReplay(step)) {
        ev.phase?.(`replaying ${step.file} (not recorded) to rebuild the state the next steps start from`);
        replayed = [];
      } else {
        replayed = undefined;
        ev.stepStart?.(step);
      }
      if (blockedReason) {
        for (const b of step.blocks) push(b, blockedResult(b, blockedReason));
        continue;
      }
      await runStep(step);
      await closeSessions(HOST_SESSION);
      if (replayed) {
        const off = replayed.filter((r) => r.status !== 'pass' && r.status !== 'flaky' && r.status !== 'skip');
        ev.progress?.(`replayed ${replayed.length} block${replayed.length === 1 ? '' : 's'}${off.length > 0 ? `; ${off.length} did not match (${off.map((r) => `${r.file}:${r.line}`).join(', ')}), so the state may differ from a full run` : ''}`);
      }
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await closeSessions();
    if ((lab.config.teardown ?? []).length > 0) {
      ev.phase?.('teardown');
      try {
        const host = await opts.target.openSession(specOf(HOST_SESSION));
        const failed = await runHooks(lab.config.teardown ?? [], 'teardown', host, hookTimeoutMs);
        if (failed) labErrors.push(failed);
        await host.close();
      } catch (e) {
        labErrors.push(`teardown could not run: ${(e as Error).message}`);
      }
    }
    await opts.target.dispose();
  }

  const run: LabRunResult = {
    lab,
    results,
    environment: opts.environment,
    startedAt,
    finishedAt: new Date().toISOString(),
    interrupted: opts.signal?.aborted === true,
    labErrors,
  };
  ev.labEnd?.(run);
  return run;

  async function runStep(step: Step): Promise<void> {
    const backgrounds: BackgroundHandle[] = [];
    backgroundResults = [];
    const pendingFiles: FileBlock[] = [];
    let stepBlocked: string | undefined;
    try {
      for (let index = 0; index < step.blocks.length; index++) {
        const block = step.blocks[index]!;
        if (aborted()) return;
        if (!replayed) ev.blockStart?.(block);
        if (stepBlocked) {
          push(block, blockedResult(block, stepBlocked));
          continue;
        }
        if (block.kind === 'file') {
          pendingFiles.push(block);
          continue;
        }
        if (block.options.skip !== undefined) {
          push(block, { ...baseResult(block), status: 'skip', reason: block.options.skip });
          continue;
        }
        if (pendingFiles.length > 0) await writeFiles(pendingFiles.splice(0));
        // A block whose commands are typed ahead already needs no new batch (typeAhead would say
        // so, a promise later); the blocks after it are typed behind the ones waiting when few are left.
        const open = sessions.get(block.options.session);
        const waiting = open?.alive ? (open.aheadCount ?? 0) : 0;
        if (waiting === 0) await typeAhead(step.blocks, index);
        else if (waiting <= AHEAD_PART.low && more !== undefined && more.session === open && more.blocks === step.blocks) await typeMore(more);
        const r = await runCommandBlock(block, backgrounds);
        if (aborted()) return;
        push(block, r);
        if (r.status === 'error') stepBlocked = `an earlier block of this step errored (${block.id}, ${block.file}:${block.line}): ${r.reason ?? 'see that block'}`;
      }
      await writeFiles(pendingFiles.splice(0));
    } finally {
      // Commands typed ahead and never claimed (a block errored, or the run was stopped) must
      // not run on their own: their session goes.
      for (const s of sessions.values()) if ((s.aheadCount ?? 0) > 0) await s.close().catch(() => {});
      for (const b of backgrounds) await b.stop().catch(() => {});
      for (const { job, result } of backgroundResults) result.output = normaliseOutput(job.output()).join('\n');
      substituted.clear();
      openFailures.clear();
      more = undefined;
    }

    async function writeFiles(files: FileBlock[]) {
      for (const f of files) {
        const started = Date.now();
        try {
          const s = await getSession(f.session);
          await s.writeFile(f.path, bindings.substitute(f.content, ctx));
          push(f, { ...baseResult(f), status: 'pass', durationMs: Date.now() - started });
        } catch (e) {
          push(f, { ...baseResult(f), status: 'error', reason: `could not write ${f.path}: ${(e as Error).message}` });
          stepBlocked = `file ${f.path} could not be written (${f.file}:${f.line})`;
        }
      }
    }
  }

  /**
   * Pipelining: types the commands of this block and of the blocks after it into their session
   * in one write, when the runner would type exactly those commands next anyway. A run stops at
   * a block that is not a plain command block of the same session (a file to write, another
   * session, `background`, `opens=`, `wait=` which may run again), and before a command whose
   * text could still change: one holding a value that an output before it could bind (the
   * runner puts bound values into commands). The blocks are still checked one by one, as before;
   * only the waiting between commands goes.
   */
  async function typeAhead(blocks: readonly Block[], from: number): Promise<void> {
    more = undefined;
    const first = blocks[from]!;
    if (first.kind !== 'command' || !canTypeAhead(first)) return;
    const name = first.options.session;
    let session = sessions.get(name);
    if (!session?.alive && (name === HOST_SESSION || defs[name]?.command)) {
      // The block runs next in this session anyway: opened now, it is typed ahead with the blocks after it.
      try {
        session = await getSession(name);
      } catch (e) {
        openFailures.set(name, e as Error);
        return;
      }
    }
    if (!session?.alive || !session.runAhead || (session.aheadCount ?? 0) > 0) return;
    const run: AheadRun = { session, blocks, next: from, examples: new Set<string>(), unread: undefined };
    const batch = takeAhead(run, AHEAD_PART.first);
    if (batch.length > 1 && (await session.runAhead(batch)) && run.next < blocks.length) more = run;
  }

  /** Types the next part of a run of blocks behind the commands of it still waiting in the shell. */
  async function typeMore(run: AheadRun): Promise<void> {
    more = undefined;
    const batch = takeAhead(run, AHEAD_PART.more);
    if (batch.length === 0) return;
    let typed = false;
    try {
      typed = await run.session.runAhead!(batch);
    } catch {
      // The session closed meanwhile: these blocks run one by one (in a new shell), as after any end of a shell.
    }
    // Not typed (the shell was being restarted): the commands taken run one by one when their
    // blocks come, and typing ahead starts again after them, never behind them.
    if (typed && run.next < run.blocks.length) more = run;
  }

  /**
   * Takes the commands of the blocks from `run.next` on that can be typed ahead (see
   * `typeAhead`), whole blocks until at least `part` commands are taken; `run.next` is left at
   * the block to go on from, or past the end when the run of blocks stops.
   */
  function takeAhead(run: AheadRun, part: number): AheadCommand[] {
    const { blocks, examples } = run;
    const name = run.session.name;
    const batch: AheadCommand[] = [];
    let chars = 0;
    let i = run.next;
    scan: for (; i < blocks.length; i++) {
      const b = blocks[i]!;
      if (batch.length >= part) {
        run.next = i;
        return batch;
      }
      if (b.kind !== 'command') break;
      if (b.options.skip !== undefined) continue;
      if (b.options.session !== name || !canTypeAhead(b)) break;
      for (const cmd of b.commands) {
        // The expected output of the last command taken is read for examples only when another
        // command follows (a block can expect millions of lines, and a lone block needs none).
        if (run.unread) {
          addExamplesOf(run.unread.expected, ctx, examples, plainLines);
          run.unread = undefined;
        }
        if (!bindings.substitutionIsFixed(cmd.text, ctx, examples)) break scan;
        const sub = bindings.substituteWithUses(cmd.text, ctx);
        const command = sub.text;
        if (batch.length >= AHEAD_LIMIT.commands || chars + command.length > AHEAD_LIMIT.chars) break scan;
        batch.push({ command, timeoutMs: b.options.timeoutMs });
        substituted.set(cmd, { ...sub, version: bindings.version });
        chars += command.length;
        if (b.options.output !== 'ignore') run.unread = cmd;
      }
    }
    run.next = blocks.length;
    return batch;
  }

  function runCommandBlock(block: CommandBlock, backgrounds: BackgroundHandle[]): Promise<BlockResult> {
    if (block.options.waitMs !== undefined) return retryBlock(block, backgrounds);
    // Without wait= a block has one attempt (what retryBlock does then, without its loop).
    const started = Date.now();
    return attemptBlock(block, backgrounds).then((r) => {
      r.attempts = 1;
      // A command typed ahead may have started before its block was taken: the block took at
      // least the time of its commands.
      let commands = 0;
      for (const c of r.commands) commands += c.durationMs;
      r.durationMs = Math.max(Date.now() - started, commands);
      return r;
    });
  }

  /** A `wait=` block: attempts until it passes or its time is up. */
  async function retryBlock(block: CommandBlock, backgrounds: BackgroundHandle[]): Promise<BlockResult> {
    const started = Date.now();
    const waitMs = block.options.waitMs ?? 0;
    const deadline = started + waitMs;
    let attempt = 0;
    for (;;) {
      attempt++;
      const r = await attemptBlock(block, backgrounds);
      r.attempts = attempt;
      r.durationMs = Date.now() - started;
      const timedOut = r.commands.some((c) => c.timedOut);
      const retryable = (r.status === 'fail' || r.status === 'error') && !timedOut;
      if (r.status === 'pass' || !retryable || aborted() || Date.now() >= deadline) {
        if (r.status === 'pass' && attempt > 1) {
          r.status = 'flaky';
          r.reason = `passed on attempt ${attempt} after ${formatMs(r.durationMs)} (wait=${formatMs(waitMs)})`;
        } else if (r.status !== 'pass' && attempt > 1) {
          r.reason = `${r.reason ?? 'did not match'} — still failing after ${attempt} attempts over ${formatMs(r.durationMs)} (wait=${formatMs(waitMs)})`;
        }
        return r;
      }
      ev.retry?.(block, attempt + 1, r.reason ?? 'did not match');
      await sleep(Math.min(opts.retryIntervalMs ?? 500, Math.max(0, deadline - Date.now())));
    }
  }

  /**
   * One attempt at a block: its commands in order. A command whose output or exit status drifted
   * (or that timed out, when its session could be restored) fails the block, and the block goes
   * on with its next command: the command ran, so the shell's state is what the page assumes, and
   * one run reports every drifted command. It stops at a session that closed or could not be
   * restored, and at an error.
   */
  async function attemptBlock(block: CommandBlock, backgrounds: BackgroundHandle[]): Promise<BlockResult> {
    const working = bindings.fork();
    const commands: CommandResult[] = [];
    const used: Record<string, string> = {};
    let status: BlockStatus = 'pass';
    const failures: string[] = [];
    let reason: string | undefined;
    try {
      const open = sessions.get(block.options.session);
      const session = open?.alive ? open : await getSession(block.options.session);
      for (let i = 0; i < block.commands.length; i++) {
        const cmd = block.commands[i]!;
        const last = i === block.commands.length - 1;
        const ahead = substituted.get(cmd);
        if (ahead) substituted.delete(cmd);
        const sub = ahead?.version === working.version ? ahead : working.substituteWithUses(cmd.text, ctx);
        const ran = sub.text;
        Object.assign(used, sub.used);
        // What a command types literally is what really ran: bound to itself (contract extension).
        working.bindTypedIn(ran, ctx, `${block.file}:${cmd.line}`);
        if (block.options.background) {
          const started = Date.now();
          const job = await session.startBackground(ran);
          backgrounds.push(job);
          const up = await waitUntilReady(session, job, block.options.ready, block.options.timeoutMs);
          const c: CommandResult = { command: cmd.text, ran, exitCode: null, output: normaliseOutput(job.output()).join('\n'), durationMs: Date.now() - started, timedOut: false, ok: up.ok };
          if (!up.ok) {
            c.failure = 'exit';
            c.reason = `background command \`${firstLine(cmd.text)}\` ${up.why}`;
            status = 'fail';
            failures.push(`${c.reason} (${block.file}:${cmd.line})`);
          }
          commands.push(c);
          // What it printed while the step ran is recorded when the step ends (the page shows that, not the pasted lines).
          backgroundResults.push({ job, result: c });
          continue;
        }
        let outcome: CommandOutcome;
        if (last && block.options.opens) {
          const spec = specOf(block.options.opens);
          const opened = await opts.target.openInteractive(session, ran, spec, { timeoutMs: block.options.timeoutMs });
          if (!opened.outcome.closed) sessions.set(block.options.opens, opened.session);
          outcome = opened.outcome;
        } else {
          outcome = await session.run(ran, { timeoutMs: block.options.timeoutMs });
        }
        if (outcome.closed && !block.options.opens) sessions.delete(block.options.session);
        const c = checkCommand(block, cmd, ran, outcome, last, working);
        commands.push(c.result);
        if (c.bindings) {
          Object.assign(used, c.used);
          if (c.made) addPairs(used, c.made);
          working.adopt(c.bindings);
        }
        if (!c.result.ok) {
          status = 'fail';
          failures.push(`${c.result.reason} (${block.file}:${cmd.line})`);
        }
        if (outcome.closed && c.result.timedOut) {
          status = 'error';
          // An interactive program that never showed its prompt is not open: what follows in it cannot run.
          if (!(block.options.opens && last)) failures.push(`the session ${block.options.session} could not be restarted after the timeout, so the rest of this step cannot run in it`);
          break;
        }
        if (outcome.closed && !last && !(block.options.opens && last)) {
          status = 'error';
          failures.push(`the session ${block.options.session} closed after \`${firstLine(cmd.text)}\` (${block.file}:${cmd.line}), before the block's last command`);
          break;
        }
      }
      if (failures.length > 0) {
        const drifted = commands.filter((c) => !c.ok).length;
        reason = drifted > 1 ? `${drifted} of ${commands.length} commands failed: ${failures.join('; ')}` : failures.join('; ');
      }
    } catch (e) {
      if (!(e instanceof BlockError) && !(e instanceof Error)) throw e;
      status = 'error';
      reason = `${(e as Error).message} (${block.file}:${block.line})`;
    }
    // Bindings learned from commands that matched stay, even when another command of the block failed.
    bindings.adopt(working);
    return { ...baseResult(block), status, reason, commands, bindings: used };
  }

  function checkCommand(block: CommandBlock, cmd: Command, ran: string, o: CommandOutcome, last: boolean, working: Bindings) {
    const output = normaliseOutput(o.output);
    const base: CommandResult = {
      command: cmd.text,
      ran,
      exitCode: o.exitCode,
      output: output.join('\n'),
      durationMs: o.durationMs,
      timedOut: o.timedOut,
      ok: true,
    };
    if (o.timedOut && block.options.opens && last) {
      const prompt = specOf(block.options.opens).prompt;
      const printed = o.output.trim() ? `it printed ${JSON.stringify(o.output.trim().slice(-300))}` : 'it printed nothing';
      return {
        result: {
          ...base,
          ok: false,
          failure: 'timeout' as const,
          reason: `\`${firstLine(cmd.text)}\` did not show the prompt ${JSON.stringify(prompt)} of session ${block.options.opens} within ${formatMs(block.options.timeoutMs)}; ${printed} (set the session's prompt: in lab.yaml to what the program shows)`,
        },
      };
    }
    if (o.timedOut) {
      const restarted = o.closed
        ? 'the session could not be restarted'
        : 'the session was restarted in the same folder with its exported variables (other shell variables and functions are lost)';
      return {
        result: { ...base, ok: false, failure: 'timeout' as const, reason: `\`${firstLine(cmd.text)}\` timed out after ${formatMs(block.options.timeoutMs)}; its processes were killed and ${restarted} (raise timeout= if it needs longer)` },
      };
    }
    if (o.closed && !(block.options.opens && last) && !isExit(cmd.text)) {
      return {
        result: {
          ...base,
          ok: false,
          failure: 'exit' as const,
          reason: `the session ${block.options.session} ended during \`${firstLine(cmd.text)}\` (status ${o.exitCode ?? 'unknown'}): the command replaced or ended its shell (exec, set -e, exit); the next block starts a new shell without this one's folder and variables`,
        },
      };
    }
    const wantExit = last ? block.options.exit : block.options.exit === 'any' ? 'any' : 0;
    const exitOk = block.options.opens && last ? !o.closed : wantExit === 'any' || o.exitCode === wantExit;
    const input = block.options.output === 'ignore' ? undefined : { expected: cmd.expected, actual: output, normalised: true, mode: block.options.output, bindings: working, ctx, source: block.file };
    // An output that is its expected plain text, line for line, needs no alignment search.
    const m = input && (matchLiteral(input, plainLines) ?? matchOutput(input));
    if (m && !m.ok) {
      const exitNote = exitOk ? '' : ` and exited ${o.exitCode} (expected ${wantExit})`;
      return { result: { ...base, ok: false, failure: 'output' as const, reason: `output of \`${firstLine(cmd.text)}\` drifted${exitNote}`, diff: m.diff } };
    }
    if (!exitOk) {
      return {
        result: {
          ...base,
          ok: false,
          failure: 'exit' as const,
          reason: `\`${firstLine(cmd.text)}\` exited ${o.exitCode === null ? 'without a status' : o.exitCode}, expected ${wantExit}${last ? ' (set exit=N or exit=any on the block if that is intended)' : ''}`,
          diff: m?.diff,
        },
      };
    }
    return { result: base, bindings: m?.bindings, used: m?.used, made: m?.madePairs };
  }
}

/** A command's text with bound values put in, the bindings it used, and the version of the bindings that gave it. */
interface Substitution {
  text: string;
  used: Record<string, string>;
  version: number;
}

/**
 * A run of blocks being typed ahead into one session: the block to go on from, and what the
 * outputs of the commands taken so far could bind (a command that holds one of those is not
 * typed ahead of them).
 */
interface AheadRun {
  session: Session;
  blocks: readonly Block[];
  next: number;
  examples: Set<string>;
  /** The last command taken, whose expected output is not read for examples yet. */
  unread: Command | undefined;
}

/**
 * A long run of blocks is typed ahead in parts: the first part small, so the shell starts at
 * once while the rest is prepared, then a part whenever at most \`low\` commands wait unclaimed.
 * Few commands then wait at a time, which keeps what they hold short-lived (cheap to collect).
 */
export const AHEAD_PART = { first: 32, more: 128, low: 64 };

/** Whether a block's commands run exactly once, in order, in a plain session: then they may be typed ahead. */
function canTypeAhead(block: CommandBlock): boolean {
  return !block.options.background && block.options.opens === undefined && block.options.waitMs === undefined;
}

/** How long a background command without `ready=` is watched for an early exit. */
const BACKGROUND_GRACE_MS = 200;
const READY_POLL_MS = 100;

/**
 * Waits until a background command is ready (`ready=`), or for a short grace without it; fails
 * when the command exits first or is not ready within `timeoutMs`. Probes run in the command's
 * own session (its host and namespace), leaving `$?` as it was.
 */
async function waitUntilReady(session: Session, job: BackgroundHandle, ready: ReadyProbe | undefined, timeoutMs: number): Promise<{ ok: true } | { ok: false; why: string }> {
  const started = Date.now();
  const deadline = started + (ready ? timeoutMs : BACKGROUND_GRACE_MS);
  const probe = async (command: string) => (await session.run(command, { timeoutMs: 10_000, keepStatus: true })).exitCode === 0;
  const log = () => {
    const text = normaliseOutput(job.output()).join('\n').trim();
    return text ? `; it printed:\n${text.split('\n').slice(-20).join('\n')}` : '; it printed nothing';
  };
  for (;;) {
    if (ready?.kind === 'line' && job.output().includes(ready.text)) return { ok: true };
    if (ready?.kind === 'port' && (await probe(portProbe(ready.port)))) return { ok: true };
    if (ready?.kind === 'path' && (await probe(`test -e ${quoteShell(ready.path)}`))) return { ok: true };
    // Alive and not a zombie (its shell may not have reaped it yet).
    if (!(await probe(`grep -q '^State:[[:space:]]*[^Z]' /proc/${job.pid}/status 2>/dev/null`))) return { ok: false, why: `exited ${formatMs(Date.now() - started)} after it started${log()}` };
    if (Date.now() >= deadline) return ready ? { ok: false, why: `was not ready (${describeReady(ready)}) after ${formatMs(timeoutMs)}${log()}` } : { ok: true };
    await sleep(Math.min(READY_POLL_MS, Math.max(0, deadline - Date.now())));
  }
}

/** Succeeds when something listens on TCP `port` of the session's host (bash's /dev/tcp, or nc). */
function portProbe(port: number): string {
  return `{ command -v bash >/dev/null && bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port}'; } 2>/dev/null || nc -z 127.0.0.1 ${port} 2>/dev/null`;
}

function describeReady(r: ReadyProbe): string {
  return r.kind === 'port' ? `nothing listens on port ${r.port}` : r.kind === 'path' ? `${r.path} does not exist` : `it has not printed ${JSON.stringify(r.text)}`;
}

async function runHooks(commands: string[], what: string, session: Session, timeoutMs: number): Promise<string | undefined> {
  const failures: string[] = [];
  for (const c of commands) {
    const o = await session.run(c, { timeoutMs });
    if (o.timedOut || o.exitCode !== 0) {
      const out = normaliseOutput(o.output).slice(-5).join('\n');
      failures.push(`${what} command \`${firstLine(c)}\` ${o.timedOut ? 'timed out' : `exited ${o.exitCode}`}${out ? `:\n${out}` : ''}`);
      if (what === 'setup') break; // later setup commands depend on earlier ones; teardown goes on regardless
    }
  }
  return failures.length ? failures.join('\n') : undefined;
}

function baseResult(block: Block): BlockResult {
  return {
    id: block.id,
    file: block.file,
    line: block.line,
    hash: hashBlock(block),
    status: 'pass',
    attempts: 0,
    durationMs: 0,
    commands: [],
    bindings: {},
    // When it finished: set as the result is pushed.
    at: '',
  };
}

function blockedResult(block: Block, reason: string): BlockResult {
  return { ...baseResult(block), status: 'blocked', reason };
}

function pushResult(results: BlockResult[], ev: RunEvents, block: Block, r: BlockResult): void {
  r.at = new Date().toISOString();
  results.push(r);
  ev.blockEnd?.(block, r);
}

/** Whether a command's last line ends its shell on purpose (`exit`, `exit 3`, `logout`). */
function isExit(command: string): boolean {
  const lastLine = command.trimEnd().split('\n').at(-1) ?? '';
  return /^\s*(?:(?:exit|logout)(?:\s+\S+)?|(?:exit|quit)\(\)|\\q)\s*;?\s*$/.test(lastLine);
}

function firstLine(s: string): string {
  const l = s.split('\n')[0] ?? '';
  return s.includes('\n') ? `${l} …` : l;
}

/** `1500` → `1.5s`, `60000` → `60s`, `300000` → `5m`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 120_000) return `${Number((ms / 1000).toFixed(1))}s`;
  return `${Number((ms / 60_000).toFixed(1))}m`;
}
