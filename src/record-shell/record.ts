import { spawn as spawnPty, type IPty } from '@lydell/node-pty';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import type { Step } from '../model/block.ts';
import { DEFAULT_HOST_PROMPT, HOST_SESSION, type Lab, type SessionDef } from '../model/lab.ts';
import { didYouMean, formatProblem, type Problem } from '../model/location.ts';
import { loadStepFile, STEP_FILE } from '../parse/load-lab.ts';
import { writeFileAtomic } from '../record/records.ts';
import { createPrivateKubeconfig, kubeEnv } from '../run/kubeconfig.ts';
import { acquireLabLock } from '../run/lab-lock.ts';
import { SESSION_TAG_VAR } from '../run/process-group.ts';
import { PTY_COLUMNS } from '../run/pty-session.ts';
import { createNonce, PINNED_ENV, quoteShell } from '../run/session.ts';
import { checkRequirements, createLocalTarget } from '../run/targets/local.ts';
import type { Session } from '../run/targets/types.ts';
import { checkSessionCwd } from '../run/work-folder.ts';
import { composeRecording, type ComposeOptions } from './compose-blocks.ts';
import { planReplay, replayLine, type ReplayPlan } from './replay-plan.ts';
import { buildSetupLine, ShellMarkerStream, type RecordedCommand } from './shell-hooks.ts';

/** Options of {@link recordStep}. */
export interface RecordOptions {
  cwd: string;
  /** The step file to append to. */
  stepFile: string;
  /** Session to record into. @default host */
  session?: string;
  /**
   * First run the earlier steps' commands of that session in the shell, unchecked and
   * unrecorded, so the state they build is there. @default false
   */
  replay?: boolean;
  stdin: NodeJS.ReadStream;
  /** The author's terminal: the shell's output goes here; its rows and resizes are followed. */
  stdout: NodeJS.WritableStream;
  /** Messages of the recorder itself. */
  warn: (line: string) => void;
  color: boolean;
  /** Timeout of each setup and teardown command. @default 120000 */
  hookTimeoutMs?: number;
}

/**
 * Exit statuses of `labs record`: 0 written (or nothing to write), 1 setup failed or the page
 * could not take the blocks (they were saved beside it), 2 bad input (nothing ran, or the
 * session's shell could not be recorded), 130 interrupted before the recording shell started.
 */
const EXIT = { ok: 0, notWritten: 1, badInput: 2, interrupted: 130 } as const;

/** How long the shell may take to show its first prompt. */
const START_TIMEOUT_MS = 15_000;

/**
 * `labs record <step-file>`: a shell in a real pseudo-terminal, started as a run would start the
 * session (the lab's work folder, pinned environment, private kubeconfig, the lab's `setup:`
 * first and `teardown:` after). Every command the author runs in it is appended to the step file
 * as a `console` block when the shell ends (`exit` or Ctrl-D), if the file did not change
 * meanwhile and the result parses back to the same blocks plus the recorded ones; otherwise
 * the blocks are saved next to it and nothing is lost. Earlier steps are replayed, hidden and
 * unchecked, only with `replay`.
 */
export async function recordStep(o: RecordOptions): Promise<number> {
  const c = pc.createColors(o.color);
  const problems: Problem[] = [];
  const created = await createStepIfNew(o.cwd, o.stepFile, o.stdin.isTTY === true);
  if (created) o.warn(c.dim(`created ${o.stepFile} (a new step; removed again if nothing is recorded into it)`));
  const { lab, step, problems: loadProblems } = await loadStepFile(o.stepFile, { cwd: o.cwd });
  problems.push(...loadProblems);
  if (!lab || !step) return refuse(problems);
  try {
    return await recordInto(lab, step, problems);
  } finally {
    // A step this command created goes again if it is still just as created (nothing recorded).
    if (created !== undefined && (await readFile(step.absPath, 'utf8').catch(() => undefined)) === created) await rm(step.absPath, { force: true });
  }

  function refuse(ps: Problem[]): number {
    for (const p of ps) o.warn(formatProblem(p));
    o.warn(`${ps.length} problem${ps.length === 1 ? '' : 's'} found; nothing was recorded.`);
    return EXIT.badInput;
  }

  async function recordInto(lab: Lab, step: Step, problems: Problem[]): Promise<number> {
    const at = { file: step.file, line: 1, column: 1 };
    const name = o.session ?? HOST_SESSION;
    const defs: Record<string, SessionDef> = { [HOST_SESSION]: { prompt: DEFAULT_HOST_PROMPT }, ...lab.config.sessions };
    const def = defs[name];
    if (lab.config.target !== 'local') {
      problems.push({ stage: 'cli', location: { file: lab.configFile, line: 1, column: 1 }, message: `${lab.id} is a ${lab.config.target} lab; labs record runs local labs only`, hint: 'record the commands in a local lab, or write the blocks by hand and fill in their output with labs verify --update' });
    } else if (!def) {
      const guess = didYouMean(name, Object.keys(defs));
      problems.push({ stage: 'cli', location: { file: lab.configFile, line: 1, column: 1 }, message: `no session "${name}" in ${lab.id}`, hint: guess ? `did you mean "${guess}"?` : `sessions: ${Object.keys(defs).join(', ')}` });
    } else if (def.repl || (name !== HOST_SESSION && !def.command)) {
      problems.push({ stage: 'cli', location: { file: lab.configFile, line: 1, column: 1 }, message: `session "${name}" is ${def.repl ? 'a REPL' : 'opened by a block with opens='}; labs record records into the host session or a session started by its command:`, hint: 'record the host session and type the blocks of this session by hand' });
    }
    if (!o.stdin.isTTY) problems.push({ stage: 'cli', location: at, message: 'labs record needs a terminal: standard input is not one', hint: 'run it in a terminal; to fill in outputs without one, write the commands and run labs verify --update' });
    for (const m of checkRequirements(lab.config.requires ?? []).missing) problems.push({ stage: 'cli', location: { file: lab.configFile, line: 1, column: 1 }, message: `requires ${m.name}, which is missing here`, hint: m.hint });
    if (problems.length > 0) return refuse(problems);

    const raw = await readFile(step.absPath, 'utf8');
    const got = acquireLabLock(lab.id, { command: `labs record ${o.stepFile}` });
    if ('busy' in got) {
      const h = got.busy;
      return refuse([{ stage: 'cli', location: { file: lab.configFile, line: 1, column: 1 }, message: `${lab.id} is being verified or recorded by another run (pid ${h.pid}, started ${h.startedAt})`, hint: 'wait for it to finish or stop it' }]);
    }
    const lock = got.lock;
    if (lock.deadRun) {
      lock.releaseOwingCleanup();
      return refuse([{ stage: 'cli', location: { file: lab.configFile, line: 1, column: 1 }, message: `an earlier run of ${lab.id} (pid ${lock.deadRun.pid}) died without cleaning up`, hint: `run labs verify ${relative(o.cwd, lab.dir) || '.'} once (it cleans up after that run), then record` }]);
    }

    const workDir = await mkdtemp(join(tmpdir(), `labs-${lab.id}-`));
    const kube = createPrivateKubeconfig('labs-record-kube-');
    const target = createLocalTarget();
    lock.note({ tempDir: workDir, tag: target.tag });
    lock.note({ tempDir: kube.dir });
    const env = kubeEnv(kube.file);
    const hookTimeoutMs = o.hookTimeoutMs ?? 120_000;
    const hostSpec = { name: HOST_SESSION, cwd: workDir, root: workDir, env: { ...env, ...lab.config.sessions?.[HOST_SESSION]?.env }, prompt: DEFAULT_HOST_PROMPT };
    let status: number = EXIT.ok;
    // Outside the recording shell (setup, teardown) a signal stops what runs, and the clean-up
    // still happens; inside it, the shell's own handler ends the recording.
    let interrupted = false;
    const onSignal = (sig: NodeJS.Signals) => {
      if (!interrupted) o.warn(c.yellow(`\n${sig}: stopping; teardown still runs`));
      interrupted = true;
      void target.dispose();
    };
    const listen = (on: boolean) => {
      for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
        if (on) process.on(sig, onSignal);
        else process.off(sig, onSignal);
      }
    };
    listen(true);
    try {
      if ((lab.config.setup ?? []).length > 0) {
        o.warn(c.dim('setup'));
        const failed = await runHooks(lab.config.setup ?? [], await target.openSession(hostSpec), hookTimeoutMs, true);
        if (interrupted) return EXIT.interrupted;
        if (failed) {
          o.warn(c.red(`${lab.configFile}: setup ${failed}; nothing was recorded`));
          return EXIT.notWritten;
        }
      }
      listen(false);
      const cwd = def!.cwd ? join(workDir, def!.cwd) : workDir;
      await checkSessionCwd(workDir, cwd, name);
      const nonce = createNonce();
      const replay = o.replay ? planReplay(lab, step, name, nonce) : undefined;
      const recorded = await runRecordingShell(lab, name, def!, { cwd, nonce, replay, env: { ...process.env, ...PINNED_ENV, ...env, ...def!.env, [SESSION_TAG_VAR]: `${target.tag}.rec` } as Record<string, string> }, o, c);
      if ('error' in recorded) {
        o.warn(c.red(`labs record: ${recorded.error}`));
        return EXIT.badInput;
      }
      status = await writeRecording(lab, step, raw, recorded.commands, { session: name, prompt: defs[name]!.prompt, workDir }, o, c);
    } finally {
      listen(false);
      if ((lab.config.teardown ?? []).length > 0) {
        o.warn(c.dim('teardown'));
        try {
          const failed = await runHooks(lab.config.teardown ?? [], await target.openSession(hostSpec), hookTimeoutMs, false);
          if (failed) o.warn(c.yellow(`${lab.configFile}: teardown ${failed}`));
        } catch (e) {
          o.warn(c.yellow(`${lab.configFile}: teardown could not run: ${(e as Error).message}`));
        }
      }
      await target.dispose();
      kube.remove();
      await rm(workDir, { recursive: true, force: true });
      lock.release();
    }
    return status;
  }
}

/**
 * A step file that does not exist yet, in a lab folder and named as a step (`NN-name.mdx`), is
 * created with a title taken from its name, so a new step can be recorded straight away. Returns
 * what was written, or undefined when nothing was created. Only with a terminal (else nothing
 * would be recorded).
 */
async function createStepIfNew(cwd: string, file: string, tty: boolean): Promise<string | undefined> {
  const abs = resolve(cwd, file);
  if (!tty || !STEP_FILE.test(basename(abs))) return undefined;
  const exists = async (p: string) => stat(p).then(() => true, () => false);
  if ((await exists(abs)) || !(await exists(join(dirname(abs), 'lab.yaml')))) return undefined;
  const words = basename(abs).replace(/\.mdx?$/, '').replace(/^\d+-/, '').replace(/[-_]+/g, ' ').trim();
  const text = `---\ntitle: ${JSON.stringify(words.charAt(0).toUpperCase() + words.slice(1))}\n---\n`;
  try {
    await writeFile(abs, text, { flag: 'wx' });
  } catch {
    return undefined; // made meanwhile: it is read as it is
  }
  return text;
}

/** Runs setup or teardown commands in `session`; returns what failed, or undefined. Closes the session. */
async function runHooks(commands: string[], session: Session, timeoutMs: number, stopAtFirst: boolean): Promise<string | undefined> {
  const failures: string[] = [];
  try {
    for (const cmd of commands) {
      const r = await session.run(cmd, { timeoutMs });
      if (r.timedOut || r.exitCode !== 0) {
        failures.push(`command \`${cmd.split('\n')[0]}\` ${r.timedOut ? 'timed out' : `exited ${r.exitCode}`}${r.output.trim() ? `:\n${r.output.trim().split('\n').slice(-5).join('\n')}` : ''}`);
        if (stopAtFirst) break;
      }
    }
  } finally {
    await session.close();
  }
  return failures.length > 0 ? failures.join('\n') : undefined;
}

/**
 * Starts the session's shell in a pseudo-terminal, turns recording on, replays the earlier
 * steps' commands when asked (hidden and not recorded), hands the terminal to the author and
 * collects every command until the shell ends.
 */
function runRecordingShell(
  lab: Lab,
  name: string,
  def: SessionDef,
  launch: { cwd: string; env: Record<string, string>; nonce: string; replay?: ReplayPlan },
  o: RecordOptions,
  c: ReturnType<typeof pc.createColors>,
): Promise<{ commands: RecordedCommand[] } | { error: string }> {
  const shell = def.command ? `exec ${def.command}` : 'exec bash --noprofile --norc -i';
  const tty = o.stdout as Partial<NodeJS.WriteStream>;
  const rows = () => Math.max(10, tty.rows ?? 40);
  const pty: IPty = spawnPty('bash', ['--noprofile', '--norc', '-c', shell], { name: launch.env.TERM ?? 'dumb', cols: PTY_COLUMNS, rows: rows(), cwd: launch.cwd, env: launch.env });
  const commands: RecordedCommand[] = [];
  const actions = launch.replay?.actions ?? [];
  /** Replay results that differ from the page: `file:line (exit N, the page says M)`. */
  const off: string[] = [];
  let phase: 'starting' | 'replaying' | 'clearing' | 'recording' = 'starting';
  let next = 0;
  let replayTimer: NodeJS.Timeout | undefined;
  let before = '';
  return new Promise((resolve) => {
    let settled = false;
    const onInput = (d: Buffer) => pty.write(d.toString('utf8'));
    const onResize = () => pty.resize(PTY_COLUMNS, rows());
    const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
    const onSignal = (sig: NodeJS.Signals) => {
      o.warn(c.yellow(`\n${sig}: ending the recording; what was recorded so far is written`));
      pty.kill('SIGHUP');
    };
    const timer = setTimeout(() => finish({ error: `the ${name} session did not show its prompt within ${START_TIMEOUT_MS / 1000}s; it printed: ${JSON.stringify(before.slice(-400))}` }), START_TIMEOUT_MS);
    const finish = (r: { commands: RecordedCommand[] } | { error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(replayTimer);
      o.stdin.off('data', onInput);
      if (o.stdin.isTTY) o.stdin.setRawMode(false);
      o.stdin.pause();
      if (tty.isTTY) tty.off?.('resize', onResize);
      for (const s of signals) process.off(s, onSignal);
      try {
        pty.kill('SIGKILL');
      } catch {
        // already gone
      }
      resolve(r);
    };
    /** Types the next replayed command, or, once all ran, clears the history; called at a prompt. */
    const replayNext = () => {
      const a = actions[next];
      if (!a) {
        // Earlier steps' commands stay out of the author's history (up-arrow); the prompt after
        // this is the author's.
        phase = 'clearing';
        pty.write(' history -c\r');
        return;
      }
      replayTimer = setTimeout(() => {
        off.push(`${a.where} (timed out after ${a.timeoutMs / 1000}s, interrupted)`);
        pty.write('\x03');
      }, a.timeoutMs);
      pty.write(replayLine(a.text));
    };
    const handOver = () => {
      phase = 'recording';
      stream.muted = false;
      if (actions.length > 0) {
        o.warn(c.dim(`replayed ${actions.length} command${actions.length === 1 ? '' : 's'} of the earlier steps (unchecked, not recorded)`) + (off.length > 0 ? c.yellow(`; ${off.length} did not end as the page says, so the state may differ from a run: ${off.join(', ')}`) : ''));
      }
      for (const l of launch.replay?.left ?? []) o.warn(c.dim(`  not replayed: ${l}`));
      const where = relative(o.cwd, lab.dir) || '.';
      o.warn(c.bold(`recording into ${o.stepFile}`) + c.dim(` (lab ${where}, session ${name}, prompt ${JSON.stringify(def.prompt)})`));
      o.warn(c.dim(`work folder ${launch.cwd}; ${launch.replay ? 'earlier steps replayed' : 'earlier steps are not replayed (--replay does)'}. Each command becomes a console block. Type exit or press Ctrl-D to finish.`));
      if (o.stdin.isTTY) o.stdin.setRawMode(true);
      o.stdin.resume();
      o.stdin.on('data', onInput);
      if (tty.isTTY) tty.on?.('resize', onResize);
    };
    const stream = new ShellMarkerStream(launch.nonce, (e) => {
      if (e.kind === 'not-bash') return finish({ error: `session "${name}" (${def.command ?? 'bash'}) is not bash; labs record needs bash to see where each command starts and ends` });
      if (e.kind === 'prompt') {
        if (phase === 'starting') {
          clearTimeout(timer);
          if (actions.length > 0) {
            phase = 'replaying';
            stream.muted = true;
            o.warn(c.dim(`replaying ${actions.length} command${actions.length === 1 ? '' : 's'} of the earlier steps…`));
            replayNext();
          } else handOver();
        } else if (phase === 'replaying') replayNext();
        else if (phase === 'clearing') handOver();
        return;
      }
      if (e.kind !== 'command') return;
      if (phase === 'recording') {
        commands.push(e.recorded);
        return;
      }
      if (phase === 'replaying') {
        clearTimeout(replayTimer);
        const a = actions[next]!;
        const status = e.recorded.exitCode;
        if (a.exit !== 'any' && status !== a.exit && !off.some((x) => x.startsWith(`${a.where} `))) off.push(`${a.where} (exit ${status}, the page says ${a.exit})`);
        next++;
      }
    });
    for (const s of signals) process.on(s, onSignal);
    pty.onData((chunk) => {
      if (phase === 'starting') before += chunk;
      const { show } = stream.feed(chunk);
      if (show && phase === 'recording') o.stdout.write(show);
    });
    pty.onExit(() => {
      // Let the last output be read before the recording is closed.
      setTimeout(() => finish(phase === 'recording' ? { commands } : { error: `the ${name} session ended before ${phase === 'starting' ? 'its first prompt' : 'the replay was done'}; it printed: ${JSON.stringify((phase === 'starting' ? before : '').slice(-400))}` }), 50);
    });
    pty.write(buildSetupLine(launch.nonce, def.prompt));
  });
}

/** Appends the recorded blocks to the step file, or saves them beside it when the page cannot take them. */
async function writeRecording(
  lab: Lab,
  step: { file: string; slug: string; absPath: string },
  raw: string,
  recorded: readonly RecordedCommand[],
  { session, prompt, workDir }: { session: string; prompt: string; workDir: string },
  o: RecordOptions,
  c: ReturnType<typeof pc.createColors>,
): Promise<number> {
  const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : '';
  const source = raw.slice(bom.length);
  const opts: ComposeOptions = { file: step.file, slug: step.slug, sessions: lab.config.sessions ?? {}, session, prompt, isDefaultSession: session === HOST_SESSION, workDir };
  const composed = composeRecording(source, recorded, opts);
  for (const n of composed.notes) o.warn(c.yellow(`  ${n}`));
  if (composed.written === 0) {
    o.warn(`nothing to write: ${step.file} left as it was`);
    return EXIT.ok;
  }
  const now = await readFile(step.absPath, 'utf8').catch(() => undefined);
  const why = now !== raw ? 'it changed while the recording ran' : composed.problem;
  if (why) {
    const aside = `${step.absPath}.recording`;
    await writeFileAtomic(aside, composeRecording('', recorded, opts).source.replace(/^\r?\n/, ''));
    o.warn(c.red(`${step.file} not changed: ${why}. The ${composed.written} recorded block${composed.written === 1 ? ' is' : 's are'} in ${relative(o.cwd, aside)}; copy ${composed.written === 1 ? 'it' : 'them'} into the page by hand`));
    return EXIT.notWritten;
  }
  await writeFileAtomic(step.absPath, bom + composed.source);
  o.warn(c.green(`record: ${step.file}: ${composed.written} block${composed.written === 1 ? '' : 's'} added`) + c.dim(` — next: labs verify ${quoteArg(relative(o.cwd, step.absPath))}`));
  return EXIT.ok;
}

function quoteArg(s: string): string {
  return /^[\w./-]+$/.test(s) ? s : quoteShell(s);
}
