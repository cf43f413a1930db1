import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import pc from 'picocolors';
import type { Block } from '../model/block.ts';
import type { Lab } from '../model/lab.ts';
import { formatProblem, type Problem } from '../model/location.ts';
import { findLive, startDaemon, stopLive } from '../live/client.ts';
import { sendRequest } from '../live/protocol.ts';
import { allBlocks, blockRange, closeIds, findBlock, parseBlockRef, type BlockRef } from '../live/select-blocks.ts';
import { listLiveLabs, readLiveState } from '../live/state.ts';
import { loadLab } from '../parse/load-lab.ts';
import { createConsoleView } from '../report/console.ts';
import { hasDrift, summarise } from '../report/summary.ts';
import { recordsRootFor, selectLabs } from './select-labs.ts';

/** What the live-state commands need from `main`. */
export interface LiveCliContext {
  cwd: string;
  stderr: NodeJS.WriteStream;
  warn(s: string): void;
  takeEarlySignals?: () => NodeJS.Signals[];
}

/** The `verify` options the live paths read. */
export interface LiveVerifyOptions {
  target?: 'local' | 'kind' | 'context';
  keep?: boolean;
  watch?: boolean;
  update?: boolean;
  reuse?: boolean;
  report: unknown[];
  shard?: unknown;
  records?: string;
  record: boolean;
  color?: boolean;
  showActual?: boolean;
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Runs `fn` with an AbortSignal that Ctrl-C, SIGTERM and SIGHUP abort (a second one forces exit 130). */
async function withSignals<T>(ctx: LiveCliContext, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let count = 0;
  const on = (sig: NodeJS.Signals) => {
    if (++count === 1) {
      ctx.warn(pc.yellow(`\n${sig}: stopping after cleaning up (press Ctrl-C again to force)`));
      controller.abort();
    } else process.exit(130);
  };
  for (const s of STOP_SIGNALS) process.on(s, on);
  for (const s of ctx.takeEarlySignals?.() ?? []) on(s);
  try {
    return await fn(controller.signal);
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, on);
  }
}

function reportProblems(problems: Problem[], ctx: LiveCliContext): number {
  for (const p of problems) ctx.warn(formatProblem(p));
  ctx.warn(`${problems.length} problem${problems.length === 1 ? '' : 's'} found; nothing was run.`);
  return 2;
}

const CLI = { file: '(command line)', line: 1, column: 1 };

/**
 * `labs verify --keep` on local labs and `labs verify --watch`. Returns undefined when the
 * ordinary verify applies (`--keep` on kind labs keeps their cluster, as before).
 */
export async function verifyLive(paths: string[], o: LiveVerifyOptions, ctx: LiveCliContext): Promise<number | undefined> {
  const { labs, problems } = await selectLabs(paths, ctx.cwd);
  if (problems.length > 0) return reportProblems(problems, ctx);
  const isLocal = (lab: Lab) => (o.target ?? lab.config.target) === 'local';
  const color = o.color !== false && Boolean(ctx.stderr.isTTY);
  const out = (s: string) => void ctx.stderr.write(s);
  if (o.watch) {
    if (labs.length !== 1 || !isLocal(labs[0]!.lab)) {
      return reportProblems([{ stage: 'cli', location: CLI, message: `--watch takes one local lab folder or step file (got ${labs.length === 1 ? 'a lab whose target is not local' : `${labs.length} labs`})`, hint: 'name the lab folder or the step file you are editing' }], ctx);
    }
    const bad = ['update', 'keep', 'shard'].filter((k) => o[k as keyof LiveVerifyOptions]);
    if (o.report.length > 0) bad.push('report');
    if (bad.length > 0) return reportProblems([{ stage: 'cli', location: CLI, message: `--watch cannot be combined with ${bad.map((b) => `--${b}`).join(', ')}`, hint: 'start live state with `labs verify --keep` first, then `labs verify --watch` in another terminal' }], ctx);
    const { lab, onlySteps } = labs[0]!;
    const stepFile = onlySteps && onlySteps.size === 1 ? [...onlySteps][0] : undefined;
    const { watchLab } = await import('../live/watch.ts');
    return withSignals(ctx, (signal) => watchLab({ lab, cwd: ctx.cwd, stepFile, out, color, showActual: o.showActual === true, signal }));
  }
  const local = labs.filter((l) => isLocal(l.lab));
  if (local.length === 0) return undefined;
  if (local.length !== labs.length) {
    return reportProblems([{ stage: 'cli', location: CLI, message: `--keep keeps live state for local labs and the cluster for kind labs; these paths name both (${labs.map((l) => l.lab.id).join(', ')})`, hint: 'run labs verify --keep on the local labs and on the kind labs separately' }], ctx);
  }
  const bad = ['update', 'reuse', 'shard'].filter((k) => o[k as keyof LiveVerifyOptions]);
  if (o.report.length > 0) bad.push('report');
  if (bad.length > 0) return reportProblems([{ stage: 'cli', location: CLI, message: `--keep on a local lab cannot be combined with ${bad.map((b) => `--${b}`).join(', ')}`, hint: 'run labs verify without --keep for reports and updates' }], ctx);
  const { planTarget } = await import('./targets.ts');
  for (const { lab } of local) problems.push(...(await planTarget(lab, { target: 'local' }, true)).problems);
  if (problems.length > 0) return reportProblems(problems, ctx);

  return withSignals(ctx, async (signal) => {
    let status = 0;
    for (const { lab, onlySteps } of local) {
      if (signal.aborted) return 130;
      if (findLive(lab.id)) {
        out(pc.dim(`stopping the live state an earlier --keep run left for ${lab.id}\n`));
        await stopLive(lab.id, out, { color, labDir: lab.dir });
      }
      const started = await startDaemon(lab.dir, ctx.cwd);
      if ('error' in started) {
        ctx.warn(pc.red(`${lab.configFile}: ${started.error}`));
        ctx.warn(started.status === 2 && started.error.includes('another run') ? 'wait for that run to finish or stop it; `labs stop` ends live state' : 'nothing was run');
        status = Math.max(status, started.status);
        continue;
      }
      const recordsDir = o.record ? (o.records ? resolve(ctx.cwd, o.records) : join(recordsRootFor(lab.dir), 'verification')) : undefined;
      try {
        const r = await sendRequest(started.state.socket, { op: 'verify', onlySteps: onlySteps ? [...onlySteps] : undefined, showActual: o.showActual === true, color, recordsDir }, { onOutput: out, signal });
        if (r.message) ctx.warn(r.message);
        if (r.status === 130) return 130;
        status = Math.max(status, r.status);
      } catch (e) {
        ctx.warn(pc.red(`${lab.id}: ${(e as Error).message}; \`labs stop ${lab.id}\` cleans up what it left`));
        status = 2;
        continue;
      }
      out(
        pc.dim(`kept: the sessions of ${lab.id} stay up in ${started.state.workDir} (daemon pid ${started.state.pid}); `) +
          `\`labs run <block-id|file:line>\` runs a block in them, \`labs verify --watch ${lab.dir}\` re-runs saved blocks, \`labs stop ${lab.id}\` ends it\n`,
      );
    }
    return status;
  });
}

/** Options of `labs run`. */
export interface RunOptions {
  from?: string;
  to?: string;
  lab?: string;
  showActual?: boolean;
  color?: boolean;
}

/**
 * `labs run <block-id|file:line> [--from X] [--to Y]`: runs one block, or a range, in the lab's
 * live state when it has one; otherwise from scratch (setup, earlier steps replayed unrecorded,
 * the step's earlier blocks run first, teardown). Never writes a record.
 */
export async function runBlocks(block: string | undefined, o: RunOptions, ctx: LiveCliContext): Promise<number> {
  const color = o.color !== false && Boolean(ctx.stderr.isTTY);
  const out = (s: string) => void ctx.stderr.write(s);
  if (block && o.from) return reportProblems([{ stage: 'cli', location: CLI, message: 'give the block either as an argument or as --from, not both', hint: 'labs run X runs X; labs run --from X --to Y runs X to Y' }], ctx);
  if (!block && !o.from && !o.to) return reportProblems([{ stage: 'cli', location: CLI, message: 'which block? labs run needs a block id or file:line, or --from/--to', hint: '`labs list` shows every block id with its line' }], ctx);
  const texts = [block, o.from, o.to].filter((t): t is string => t !== undefined);
  const refs = texts.map((t) => parseBlockRef(t, (p) => resolve(ctx.cwd, p)));
  const found = await findLab(refs, o.lab, ctx);
  if ('problems' in found) return reportProblems(found.problems, ctx);
  const { lab } = found;
  if (lab.config.target !== 'local') {
    return reportProblems([{ stage: 'cli', location: { file: lab.configFile, line: 1, column: 1 }, message: `${lab.id} is a ${lab.config.target} lab: labs run and live state are for local labs`, hint: `verify one of its steps with \`labs verify <step file>\` (earlier steps are replayed), or keep its cluster with --keep` }], ctx);
  }
  const pick = (text: string | undefined, fallback: Block): Block | Problem => {
    if (text === undefined) return fallback;
    const f = findBlock(lab, parseBlockRef(text, (p) => resolve(ctx.cwd, p)));
    return 'block' in f ? f.block : { stage: 'cli', location: CLI, message: f.message, hint: f.hint };
  };
  const blocks = allBlocks(lab);
  if (blocks.length === 0) return reportProblems([{ stage: 'cli', location: { file: lab.configFile, line: 1, column: 1 }, message: `${lab.id} has no blocks`, hint: 'add a console block to a step' }], ctx);
  const from = pick(block ?? o.from, blocks[0]!);
  const to = pick(block ?? o.to, blocks.at(-1)!);
  const bad = [from, to].filter((x): x is Problem => 'stage' in x);
  if (bad.length > 0) return reportProblems(bad, ctx);
  const range = blockRange(lab, from as Block, to as Block);
  if (!Array.isArray(range)) return reportProblems([{ stage: 'cli', location: CLI, ...range }], ctx);

  return withSignals(ctx, async (signal) => {
    const state = findLive(lab.id);
    if (state && resolve(state.labDir) === resolve(lab.dir)) {
      out(pc.dim(`running ${describe(range)} in the live state of ${lab.id} (pid ${state.pid}); not recorded\n`));
      try {
        const r = await sendRequest(state.socket, { op: 'run', blocks: range.map((b) => b.id), showActual: o.showActual === true, color }, { onOutput: out, signal });
        if (r.message) ctx.warn(r.message);
        return r.status;
      } catch (e) {
        ctx.warn(pc.red(`the live state of ${lab.id} did not answer: ${(e as Error).message}; \`labs stop ${lab.id}\` cleans up after it`));
        return 2;
      }
    }
    if (state) ctx.warn(pc.yellow(`the live state of ${lab.id} runs ${state.labDir}, not ${lab.dir}: running from scratch instead`));
    out(pc.dim(`no live state for ${lab.id}: running ${describe(range)} from scratch, after the blocks before it (not recorded; \`labs verify --keep ${lab.dir}\` keeps state for faster runs)\n`));
    const view = createConsoleView({ stream: ctx.stderr, tty: color, showActual: o.showActual === true });
    const { LiveLab } = await import('../live/engine.ts');
    const opened = await LiveLab.open(lab, { command: `labs run ${texts.join(' ')}`, events: view });
    if ('busy' in opened) {
      view.close();
      const h = opened.busy;
      ctx.warn(formatProblem({ stage: 'cli', location: { file: lab.configFile, line: 1, column: 1 }, message: `${lab.id} is being verified by another run (pid ${h.pid}, started ${h.startedAt})`, hint: 'wait for that run to finish or stop it' }));
      return 2;
    }
    try {
      const run = await opened.live.runFresh(lab, range, { events: view, signal });
      return run.interrupted ? 130 : hasDrift(summarise(run.results)) || run.labErrors.length > 0 ? 1 : 0;
    } finally {
      for (const f of await opened.live.stop(view)) ctx.warn(pc.red(`  ! ${f}`));
      view.close();
    }
  });
}

function describe(range: readonly Block[]): string {
  return range.length === 1 ? `${range[0]!.id} (${range[0]!.file}:${range[0]!.line})` : `${range.length} blocks, ${range[0]!.id} to ${range.at(-1)!.id}`;
}

/** The lab the refs point into: the lab of a file:line, `--lab`, or the one lab (live ones first) that has the id. */
async function findLab(refs: BlockRef[], labPath: string | undefined, ctx: LiveCliContext): Promise<{ lab: Lab } | { problems: Problem[] }> {
  const fileRef = refs.find((r): r is Extract<BlockRef, { absPath: string }> => 'absPath' in r);
  const dir = labPath ? resolve(ctx.cwd, labPath) : fileRef ? dirname(fileRef.absPath) : undefined;
  if (dir) {
    const isFile = (await stat(dir).catch(() => undefined))?.isFile();
    const loaded = await loadLab(isFile ? dirname(dir) : dir, { cwd: ctx.cwd });
    return loaded.lab ? { lab: loaded.lab } : { problems: loaded.problems };
  }
  const id = (refs[0] as { id: string }).id;
  const live = listLiveLabs()
    .map((l) => readLiveState(l)?.labDir)
    .filter((d): d is string => d !== undefined);
  const candidates: Lab[] = [];
  for (const d of live) {
    const loaded = await loadLab(d, { cwd: ctx.cwd });
    if (loaded.lab) candidates.push(loaded.lab);
  }
  // A lab with live state that has the id wins: that is the lab being worked on.
  const liveHaving = candidates.filter((l) => allBlocks(l).some((b) => b.id === id));
  if (liveHaving.length === 1) return { lab: liveHaving[0]! };
  // The project's labs, or the labs below the current folder when it is not a project.
  const inProject = Boolean(await stat(join(ctx.cwd, 'content/labs')).catch(() => undefined));
  const all = await selectLabs(inProject ? [] : ['.'], ctx.cwd).catch(() => ({ labs: [] as { lab: Lab }[] }));
  for (const { lab } of all.labs) if (!candidates.some((c) => resolve(c.dir) === resolve(lab.dir))) candidates.push(lab);
  const having = candidates.filter((l) => allBlocks(l).some((b) => b.id === id));
  if (having.length === 1) return { lab: having[0]! };
  if (having.length > 1) {
    return { problems: [{ stage: 'cli', location: CLI, message: `block id "${id}" is in several labs (${having.map((l) => l.id).join(', ')})`, hint: 'add --lab <lab folder>, or give the block as file:line' }] };
  }
  return { problems: [{ stage: 'cli', location: CLI, message: `no block with id "${id}" in ${candidates.map((l) => l.id).join(', ') || 'any lab here'}`, hint: closeIds(id, candidates.flatMap((l) => allBlocks(l).map((b) => b.id))) }] };
}

/** `labs stop [lab...]`: ends the live state of the labs named (lab folders or ids), or of every lab that has one. */
export async function stopLabs(names: string[], o: { color?: boolean }, ctx: LiveCliContext): Promise<number> {
  const color = o.color !== false && Boolean(ctx.stderr.isTTY);
  const out = (s: string) => void ctx.stderr.write(s);
  const targets: { id: string; dir?: string }[] = [];
  for (const n of names) {
    const abs = resolve(ctx.cwd, n);
    if (await stat(abs).catch(() => undefined)) {
      const { labs, problems } = await selectLabs([n], ctx.cwd);
      if (problems.length > 0) return reportProblems(problems, ctx);
      for (const { lab } of labs) targets.push({ id: lab.id, dir: lab.dir });
    } else if (/^[\w.-]+$/.test(n)) targets.push({ id: n });
    else return reportProblems([{ stage: 'cli', location: { file: n, line: 1, column: 1 }, message: 'no such lab folder', hint: 'give a lab folder or a lab id; `labs stop` alone stops every live state' }], ctx);
  }
  if (names.length === 0) {
    for (const id of listLiveLabs()) targets.push({ id });
    if (targets.length === 0) {
      out('no live state to stop\n');
      return 0;
    }
  }
  let status = 0;
  for (const t of targets) {
    const r = await stopLive(t.id, out, { color, labDir: t.dir });
    if (r === 'stopped') out(`stopped the live state of ${t.id}: teardown ran, its sessions, processes and work folder are gone, the lock is released\n`);
    else if (r === 'reclaimed') out(`the live-state daemon of ${t.id} was not running: cleaned up what it left (teardown, processes, folders, lock)\n`);
    else if (r === 'none') out(`no live state for ${t.id}: nothing to stop\n`);
    else {
      ctx.warn(pc.red(r.busy));
      status = 2;
    }
  }
  return status;
}
