import { Command, InvalidArgumentError, Option } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { formatProblem, type Problem } from '../model/location.ts';
import { hashBlock } from '../model/hash.ts';
import { readRecord, recordPath, writeFileAtomic, writeRecord } from '../record/records.ts';
import { addSummaries, formatSummary, hasDrift, summarise } from '../report/summary.ts';
import type { LabRunResult, RunReport } from '../report/types.ts';
import { Redactor } from '../redact/redact.ts';
import type { PreparedTarget, TargetPlan } from './targets.ts';
import { parseShard, recordsRootFor, selectLabs, shardLabs, type SelectedLab } from './select-labs.ts';
import { HELP_FORMAT } from './help.ts';
import type { LabLock, LockHolder } from '../run/lab-lock.ts';
import type { Target } from '../run/targets/types.ts';
import type { RunEvents } from '../run/events.ts';

/**
 * What only `verify` needs (the runner, targets, reports, update): loaded when it runs, so
 * `check` and `list` start without it.
 */
async function loadVerifyModules() {
  const [run, redact, targets, output, lock, reclaim, consoleView] = await Promise.all([
    import('../run/run-lab.ts'),
    import('../redact/redact-run.ts'),
    import('./targets.ts'),
    import('./output-paths.ts'),
    import('../run/lab-lock.ts'),
    import('../run/reclaim.ts'),
    import('../report/console.ts'),
  ]);
  return {
    runLab: run.runLab,
    redactRun: redact.redactRun,
    planTarget: targets.planTarget,
    checkOutputPath: output.checkOutputPath,
    acquireLabLock: lock.acquireLabLock,
    lockDir: lock.lockDir,
    reclaimDeadRun: reclaim.reclaimDeadRun,
    createConsoleView: consoleView.createConsoleView,
  };
}

/** A report renderer, loaded only when its report is asked for (JUnit's builder is large). */
async function loadReportRenderer(kind: ReportKind): Promise<(report: RunReport) => string> {
  if (kind === 'json') return (await import('../report/json.ts')).renderJsonReport;
  if (kind === 'junit') return (await import('../report/junit.ts')).renderJunitReport;
  return (await import('../report/markdown.ts')).renderMarkdownReport;
}

/** Exit statuses (contract §7). */
export const EXIT = { ok: 0, drift: 1, badInput: 2, interrupted: 130 } as const;

type ReportKind = 'json' | 'junit' | 'markdown';

/** Signals that stop a run cleanly: Ctrl-C, a polite kill, and a closed terminal or SSH connection. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

interface VerifyOptions {
  target?: 'local' | 'kind' | 'context';
  context?: string;
  update?: boolean;
  report: { kind: ReportKind; file: string }[];
  keep?: boolean;
  reuse?: boolean;
  allowDestructive?: boolean;
  k8s?: string;
  shard?: { index: number; total: number };
  records?: string;
  record: boolean;
  color?: boolean;
  showActual?: boolean;
  watch?: boolean;
  interactive?: boolean;
}

/** Where `main` reads and writes. */
export interface MainIO {
  cwd?: string;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WriteStream;
  /** Where `--interactive` reads answers. @default process.stdin */
  stdin?: NodeJS.ReadStream;
  /**
   * Signals that arrived before `main` could handle them (while the command was loading); calling
   * it hands them over and stops whoever kept them. @default none
   */
  takeEarlySignals?: () => NodeJS.Signals[];
}

/** Runs the `labs` command line; resolves to the exit status. */
export async function main(argv: string[], io: MainIO = {}): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const print = (s: string) => void stdout.write(s + '\n');
  // One redactor for the whole command: a secret learned from one lab stays hidden in the next.
  const redactor = new Redactor();
  const warn = (s: string) => void stderr.write(redactor.redact(s) + '\n');
  let status: number = EXIT.ok;

  const program = new Command('labs')
    .description('Check, run and record the command blocks of lab pages, so every terminal block on the site is verified.')
    .showHelpAfterError('(run `labs --help` for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void stdout.write(s), writeErr: (s) => void stderr.write(s) })
    .addHelpText('after', HELP_FORMAT);

  program
    .command('check')
    .description('static checks only: parse every lab, step, block and option; run nothing')
    .argument('[path...]', 'lab folders, step files or folders of labs (default: content/labs)')
    .action(async (paths: string[]) => {
      if (stoppedEarly()) return;
      const { labs, problems } = await selectLabs(paths, cwd);
      if (problems.length > 0) {
        reportProblems(problems, warn);
        status = EXIT.badInput;
        return;
      }
      const decks = labs.filter((l) => l.lab.deck !== undefined).length;
      const steps = labs.reduce((n, l) => n + (l.lab.deck === undefined ? l.lab.steps.length : 0), 0);
      const blocks = labs.reduce((n, l) => n + l.lab.steps.reduce((m, s) => m + s.blocks.length, 0), 0);
      const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
      print(`ok: ${[plural(labs.length - decks, 'lab'), plural(steps, 'step'), ...(decks > 0 ? [plural(decks, 'deck')] : []), plural(blocks, 'block')].join(', ')}`);
    });

  program
    .command('verify')
    .description('run every block and compare its output; write records and reports')
    .argument('[path...]', 'lab folders, step files or folders of labs (default: every lab under content/labs whose target is available)')
    .addOption(new Option('--target <target>', 'where to run: the lab’s own target unless given').choices(['local', 'kind', 'context']))
    .option('--context <name>', 'kube context for --target context (never used unless named here)')
    .option('--update', 'rewrite the expected output of drifted blocks in the MDX source with what really ran')
    .option('--report <kind=file>', 'also write a report: json=FILE, junit=FILE or markdown=FILE (repeatable)', collectReport, [])
    .option('--keep', 'keep the cluster (kind target) after the run; for a local lab, keep its sessions up as live state for `labs run` and --watch (`labs stop` ends it)')
    .option('--reuse', 'reuse a cluster this tool created earlier (kind target)')
    .option('--allow-destructive', 'allow a lab’s teardown to run against the cluster of --target context')
    .option('--shard <i/n>', 'run only shard I of N: the labs that can run on the target, dealt round-robin by id (a shard left without a lab exits 2)', (v) => {
      const s = parseShard(v);
      if (!s) throw new InvalidArgumentError('expected I/N with 1 ≤ I ≤ N, e.g. 2/3');
      return s;
    })
    .option('--records <dir>', 'folder for verification/<lab>.json records (default: the project’s verification/)')
    .option('--k8s <minor>', 'kind labs only: run on Kubernetes <minor> (e.g. 1.36) from the node image lab.yaml pins for it (kind.image or kind.matrix); recorded as verification/<lab>@<minor>.json', (v) => {
      if (!/^\d+\.\d+$/.test(v)) throw new InvalidArgumentError('expected a Kubernetes minor release, e.g. 1.36');
      return v;
    })
    .option('--no-record', 'do not write records')
    .option('--no-color', 'plain output even on a terminal')
    .option('--show-actual', 'print what every command really printed, under its block')
    .option('--watch', 'on every save of a step, run the blocks that changed (in live state when there is one) and print the result; not recorded')
    .option('--interactive', 'with --update: show each drifted output as a diff and ask accept, skip, edit or quit (needs a terminal)')
    .action(async (paths: string[], options: VerifyOptions) => {
      if (options.watch || options.keep) {
        const { verifyLive } = await import('./live-commands.ts');
        const s = await verifyLive(paths, options, liveContext());
        if (s !== undefined) {
          status = s;
          return;
        }
      }
      status = await verify(paths, options);
    });

  program
    .command('new')
    .description('start a lab: content/labs/<lab-id>/ with a lab.yaml and a first step that passes as written')
    .argument('<lab-id>', 'the lab folder name: lower-case letters, digits and dashes')
    .addOption(new Option('--target <target>', 'where the lab runs').choices(['local', 'kind']).default('local'))
    .action(async (id: string, options: { target: 'local' | 'kind' }) => {
      const { scaffoldLab, ScaffoldError } = await import('./scaffold.ts');
      try {
        const made = await scaffoldLab(cwd, id, options.target);
        for (const f of made.files) print(`created ${f}`);
        print(options.target === 'local' ? `next: npx labs verify ${made.dir}` : `next: npx labs check ${made.dir} (labs verify needs Docker and the pinned tools)`);
      } catch (e) {
        if (!(e instanceof ScaffoldError)) throw e;
        warn(`labs new: ${e.message} — ${e.hint}`);
        status = EXIT.badInput;
      }
    });

  program
    .command('run')
    .description('run one block (or --from/--to a range) in the live state of `labs verify --keep`, else from scratch after the blocks before it; prints the result, records nothing')
    .argument('[block]', 'a block id (`labs list` shows them) or file:line of any line of the block')
    .option('--from <block>', 'first block of a range (id or file:line)')
    .option('--to <block>', 'last block of a range (id or file:line)')
    .option('--lab <path>', 'the lab folder, when a block id is in several labs')
    .option('--show-actual', 'print what every command really printed, under its block')
    .option('--no-color', 'plain output even on a terminal')
    .action(async (block: string | undefined, options: { from?: string; to?: string; lab?: string; showActual?: boolean; color?: boolean }) => {
      const { runBlocks } = await import('./live-commands.ts');
      status = await runBlocks(block, options, liveContext());
    });

  program
    .command('stop')
    .description('end the live state of `labs verify --keep`: teardown, processes, work folder, lock (every lab’s, without an argument)')
    .argument('[lab...]', 'lab folders or lab ids')
    .option('--no-color', 'plain output even on a terminal')
    .action(async (labs: string[], options: { color?: boolean }) => {
      const { stopLabs } = await import('./live-commands.ts');
      status = await stopLabs(labs, options, liveContext());
    });

  program
    .command('record')
    .description('record a step: a shell in a terminal whose commands and output are appended to the step file as console blocks')
    .argument('<step-file>', 'the NN-name.mdx step file to append to (its lab.yaml gives the environment, setup and teardown)')
    .option('--session <name>', 'record into this session of lab.yaml (host, or one with a command:)', 'host')
    .option('--replay', 'first run the earlier steps’ commands in the shell (unchecked, not recorded), so their state is there')
    .option('--no-color', 'plain messages even on a terminal')
    .action(async (file: string, options: { session: string; replay?: boolean; color?: boolean }) => {
      if (stoppedEarly()) return;
      const { recordStep } = await import('../record-shell/record.ts');
      status = await recordStep({
        cwd,
        stepFile: file,
        session: options.session,
        replay: options.replay === true,
        stdin: io.stdin ?? process.stdin,
        stdout,
        warn,
        color: options.color !== false && Boolean(stderr.isTTY),
      });
    });

  program
    .command('list')
    .description('labs, steps and blocks with their last recorded status')
    .argument('[path...]', 'lab folders or folders of labs (default: content/labs)')
    .option('--records <dir>', 'folder holding the records (default: the project’s verification/)')
    .action(async (paths: string[], options: { records?: string }) => {
      if (stoppedEarly()) return;
      const { labs, problems } = await selectLabs(paths, cwd);
      if (problems.length > 0) {
        reportProblems(problems, warn);
        status = EXIT.badInput;
        return;
      }
      for (const { lab } of labs) {
        const record = await readRecord(recordPath(options.records ? resolve(cwd, options.records) : join(recordsRootFor(lab.dir), 'verification'), lab.id));
        const byId = new Map((record?.blocks ?? []).map((r) => [r.id, r]));
        print(`${lab.id}  ${lab.config.title}  (target ${lab.config.target}${record ? `, last run ${record.finishedAt}` : ', never verified'})`);
        for (const step of lab.steps) {
          print(`  ${step.slug}  ${step.title}`);
          for (const b of step.blocks) {
            const r = byId.get(b.id);
            const state = !r ? 'not yet verified' : r.hash !== hashBlock(b) ? `stale (was ${r.status})` : r.status;
            print(`    ${b.id.padEnd(36)} ${String(b.line).padStart(4)}  ${state}`);
          }
        }
      }
    });

  /** What the live-state commands (`run`, `stop`, `verify --keep`/`--watch`) need. */
  function liveContext() {
    return { cwd, stderr, warn, takeEarlySignals: io.takeEarlySignals };
  }

  /** For commands that run nothing: a signal before they started ends them at once. */
  function stoppedEarly(): boolean {
    const early = io.takeEarlySignals?.() ?? [];
    if (early.length === 0) return false;
    warn(`${early[0]}: stopped before starting`);
    status = EXIT.interrupted;
    return true;
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    const code = (e as { code?: string; exitCode?: number }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return EXIT.ok;
    if (code?.startsWith('commander.')) return EXIT.badInput;
    // Whatever went wrong, the user gets one line, not a stack trace (LABS_DEBUG=1 shows it).
    warn(pc.red(`labs: ${e instanceof Error ? e.message : String(e)}`));
    if (process.env.LABS_DEBUG) warn(String((e as Error)?.stack ?? e));
    else warn(pc.dim('this is a bug in labs if the message does not say what to do; LABS_DEBUG=1 shows where it happened'));
    return EXIT.badInput;
  }
  return status;

  async function verify(paths: string[], o: VerifyOptions): Promise<number> {
    const color = o.color !== false && Boolean(stderr.isTTY);
    if (o.interactive) {
      const stdin = io.stdin ?? process.stdin;
      const why = !o.update ? '--interactive reviews the rewrites of --update: give both (labs verify --update --interactive …)' : !stdin.isTTY ? '--interactive asks about each change, but standard input is not a terminal; run it in a terminal, or use --update alone to accept every rewrite' : undefined;
      if (why) {
        warn(pc.red(`labs verify: ${why}`));
        return EXIT.badInput;
      }
    }
    // Signals are handled from the first moment: one that arrives while labs are still being
    // checked stops the run as cleanly as one that arrives mid-block (exit 130, partial report).
    const controller = new AbortController();
    let signals = 0;
    const onSignal = (sig: NodeJS.Signals) => {
      signals++;
      if (signals === 1) {
        warn(pc.yellow(`\n${sig}: stopping after cleaning up (teardown runs; press Ctrl-C again to force)`));
        controller.abort();
      } else {
        warn(pc.red(`${sig}: forced exit`));
        process.exit(EXIT.interrupted);
      }
    };
    for (const sig of STOP_SIGNALS) process.on(sig, onSignal);
    for (const sig of io.takeEarlySignals?.() ?? []) onSignal(sig);
    const locks = new Map<string, LabLock>();
    try {
      return await verifyWith(paths, o, color, controller, locks);
    } finally {
      for (const l of locks.values()) l.release();
      for (const sig of STOP_SIGNALS) process.off(sig, onSignal);
    }
  }

  async function verifyWith(paths: string[], o: VerifyOptions, color: boolean, controller: AbortController, locks: Map<string, LabLock>): Promise<number> {
    const { runLab, redactRun, planTarget, checkOutputPath, acquireLabLock, lockDir, createConsoleView } = await loadVerifyModules();
    const { labs: selected, problems } = await selectLabs(paths, cwd);
    const recordsDirOf = (lab: SelectedLab['lab']) => (o.records ? resolve(cwd, o.records) : join(recordsRootFor(lab.dir), 'verification'));
    // Which labs can run here, and what is missing for the others: all of it before anything runs.
    const eligible: { s: SelectedLab; plan: TargetPlan }[] = [];
    for (const s of selected) {
      if (controller.signal.aborted) break;
      const plan = await planTarget(s.lab, o, paths.length > 0);
      if (plan.skipReason) warn(pc.dim(`skipping ${s.lab.id}: ${plan.skipReason}`));
      else eligible.push({ s, plan });
    }
    // Shards are dealt from the labs this target takes, so no shard is left with only skipped labs.
    const runnable = o.shard ? shardLabs(eligible, o.shard, (e) => e.s.lab.id) : eligible;
    for (const { plan } of runnable) problems.push(...plan.problems);
    if (o.update && o.k8s) {
      const { selectK8sVersion } = await import('../model/k8s-matrix.ts');
      for (const { s } of runnable) {
        // Said even when the lab cannot run for other reasons (tools missing): one pass fixes both.
        const sel = s.lab.config.target === 'kind' ? selectK8sVersion(s.lab.id, s.lab.config, o.k8s) : undefined;
        if (sel && 'record' in sel && !sel.pinned) problems.push({ stage: 'cli', location: { file: '(command line)', line: 1, column: 1 }, message: `--update with --k8s ${o.k8s}: ${s.lab.id}'s pages show its pinned Kubernetes, so a run on ${o.k8s} must not rewrite them`, hint: `leave out --update (the run still records verification/${sel.record}.json), or run --update without --k8s` });
      }
    }
    if (o.shard && runnable.length === 0 && problems.length === 0 && !controller.signal.aborted) {
      const ids = eligible.map((e) => e.s.lab.id);
      warn(
        pc.red(
          `shard ${o.shard.index}/${o.shard.total} has no lab to run: ${ids.length === 0 ? 'no lab' : `only ${ids.length} lab${ids.length === 1 ? '' : 's'} (${ids.join(', ')})`} can run${o.target ? ` on target ${o.target}` : ''} here, fewer than the ${o.shard.total} shards; nothing was verified — use at most ${Math.max(ids.length, 1)} shard${ids.length > 1 ? 's' : ''}`,
        ),
      );
      return EXIT.badInput;
    }
    // Where the results go must be usable before anything runs: a report lost at the end loses the run.
    const cli = { file: '(command line)', line: 1, column: 1 };
    for (const r of o.report) {
      const why = checkOutputPath(resolve(cwd, r.file), 'file');
      if (why) problems.push({ stage: 'cli', location: cli, message: `--report ${r.kind}=${r.file}: ${why}`, hint: 'give a file path in a writable folder' });
    }
    if (o.record) {
      for (const dir of new Set(runnable.map(({ s }) => recordsDirOf(s.lab)))) {
        const why = checkOutputPath(dir, 'dir');
        if (why) problems.push({ stage: 'cli', location: cli, message: `records folder: ${why}`, hint: 'pass --records DIR with a writable folder, or --no-record' });
      }
    }
    // One run per lab at a time: two would tear down each other's namespaces and clusters.
    if (problems.length === 0) {
      for (const { s } of runnable) {
        try {
          const got = acquireLabLock(s.lab.id);
          if ('lock' in got) locks.set(s.lab.id, got.lock);
          else {
            const h = got.busy;
            if (h.live) {
              problems.push({
                stage: 'cli',
                location: { file: s.lab.configFile, line: 1, column: 1 },
                message: `${s.lab.id} has live state kept by \`labs verify --keep\` (daemon pid ${h.pid}, started ${h.startedAt})`,
                hint: `run blocks in it with \`labs run <block>\`, or end it with \`labs stop ${s.lab.id}\` before a full verify`,
              });
              continue;
            }
            problems.push({
              stage: 'cli',
              location: { file: s.lab.configFile, line: 1, column: 1 },
              message: `${s.lab.id} is being verified by another run (pid ${h.pid}, started ${h.startedAt}: labs ${h.command.replace(/^.*?labs(\.js)?\s+/, '')})`,
              hint: 'wait for that run to finish or stop it; a run whose process died is taken over automatically',
            });
          }
        } catch (e) {
          problems.push({ stage: 'cli', location: { file: s.lab.configFile, line: 1, column: 1 }, message: `could not take the lock of ${s.lab.id}: ${(e as Error).message}`, hint: `check that ${lockDir()} is a writable folder (or set LABS_LOCK_DIR)` });
        }
      }
    }
    if (problems.length > 0) {
      reportProblems(problems, warn);
      return EXIT.badInput;
    }
    if (runnable.length === 0 && !controller.signal.aborted) {
      warn('no lab to verify');
      return EXIT.ok;
    }

    const runs: LabRunResult[] = [];
    /** The same runs before redaction: only `--update` sees them, and it refuses to write a secret. */
    const rawRuns: LabRunResult[] = [];
    let prepareFailed = false;
    /** Outputs that could not be written at the end: named, and the exit status says so. */
    const lost: string[] = [];
    const view = createConsoleView({ stream: stderr, tty: color, redactor, showActual: o.showActual === true });
    // With records written, a run also says where it is in <records>/.live/ for `npm run dev`.
    const { createLiveWriter, combineEvents } = await import('../record/live.ts');
    try {
      for (const { s: { lab, onlySteps }, plan } of runnable) {
        if (controller.signal.aborted) break;
        const lock = locks.get(lab.id);
        // Made and removed synchronously: the async versions cost a round of thread-pool jobs
        // each (removal walks the folder job by job), milliseconds at the start and end of every run.
        const workDir = mkdtempSync(join(tmpdir(), `labs-${lab.id}-`));
        lock?.note({ tempDir: workDir });
        let prepared: PreparedTarget | undefined;
        let owed = lock?.deadRun !== undefined;
        const live = o.record ? createLiveWriter(recordsDirOf(lab), lab, onlySteps ? { onlySteps } : {}) : undefined;
        try {
          try {
            prepared = await plan.prepare(view, controller.signal);
          } catch (e) {
            if (controller.signal.aborted) break;
            warn(pc.red(`${lab.id}: could not start target ${plan.name}: ${(e as Error).message}`));
            prepareFailed = true;
            continue;
          }
          const { target, environment, initialBindings } = prepared;
          if (target.tag) lock?.note({ tag: target.tag });
          for (const d of target.tempDirs ?? []) lock?.note({ tempDir: d });
          if (lock?.deadRun) await reclaim(lab, lock.deadRun, target, workDir, view);
          owed = false;
          const raw = await runLab(lab, { target, workDir, environment, initialBindings, onlySteps, events: live ? combineEvents(view, live.events) : view, signal: controller.signal });
          rawRuns.push(raw);
          const run = redactRun(raw, redactor);
          runs.push(run);
          if (o.record) {
            const root = recordsDirOf(lab);
            try {
              const written = await writeRecord(root, run, prepared.record ?? {});
              warn(pc.dim(`  record: ${relative(cwd, written) || written}`));
            } catch (e) {
              lost.push(`record of ${lab.id} in ${root}`);
              warn(pc.red(`  record of ${lab.id} not written: ${(e as Error).message}`));
            }
          }
        } finally {
          await live?.close();
          await prepared?.release();
          rmSync(workDir, { recursive: true, force: true });
          if (owed) lock?.releaseOwingCleanup();
          else lock?.release();
          locks.delete(lab.id);
        }
      }
    } finally {
      view.close();
    }

    const summary = runs.reduce((s, r) => addSummaries(s, summarise(r.results)), summarise([]));
    const interrupted = controller.signal.aborted;
    const report: RunReport = { labs: runs, summary, interrupted };
    for (const r of o.report) {
      try {
        const text = (await loadReportRenderer(r.kind))(report);
        // A last pass over the finished text; JSON is redacted value by value so escapes stay whole.
        const safe = r.kind === 'json' ? JSON.stringify(redactValues(JSON.parse(text), (t) => redactor.redact(t)), null, 2) + '\n' : redactor.redact(text);
        await writeFileAtomic(resolve(cwd, r.file), safe);
        warn(pc.dim(`report: ${r.file}`));
      } catch (e) {
        lost.push(`${r.kind} report ${r.file}`);
        warn(pc.red(`report ${r.file} not written: ${(e as Error).message}`));
      }
    }
    if (o.update && !interrupted) {
      const { updateExpected } = await import('../update/rewrite-expected.ts');
      const reviewer = o.interactive ? await startReview(color, controller.signal) : undefined;
      try {
        for (const run of rawRuns) {
          const u = await updateExpected(run, { review: reviewer?.review });
          for (const line of u.messages) warn(line);
        }
      } finally {
        reviewer?.close();
      }
      if (controller.signal.aborted) return EXIT.interrupted;
    }
    const lab = runs.some((r) => r.labErrors.length > 0);
    if (runs.length > 1 || lab) warn(`${interrupted ? 'interrupted: ' : ''}all labs: ${formatSummary(summary)}${lab ? ' (with lab setup/teardown errors)' : ''}`);
    if (interrupted) return EXIT.interrupted;
    if (lost.length > 0) {
      warn(pc.red(`not written: ${lost.join('; ')} (everything else was)`));
      return EXIT.badInput;
    }
    return hasDrift(summary) || lab || prepareFailed ? EXIT.drift : EXIT.ok;
  }

  /** The questions of `--update --interactive`, on the terminal the command runs in. */
  async function startReview(color: boolean, signal: AbortSignal) {
    const { createInteractiveReview } = await import('../update/interactive-review.ts');
    return createInteractiveReview({ input: io.stdin ?? process.stdin, output: stderr, color, signal, redact: (t) => redactor.redact(t) });
  }

  /** Cleans up after a run of this lab that died holding its lock, then lets this run go on. */
  async function reclaim(lab: SelectedLab['lab'], dead: LockHolder, target: Target, workDir: string, view: RunEvents): Promise<void> {
    const { reclaimDeadRun } = await import('../run/reclaim.ts');
    view.phase?.(`an earlier run of ${lab.id} (pid ${dead.pid}, started ${dead.startedAt}) died without cleaning up: running its teardown first`);
    try {
      const done = await reclaimDeadRun(lab, dead, target, workDir);
      if (done.killed > 0) view.progress?.(`stopped ${done.killed} process${done.killed === 1 ? '' : 'es'} it left running`);
      for (const f of done.teardownFailures) view.progress?.(`teardown: ${f}`);
      if (done.removed.length > 0) view.progress?.(`removed its temporary folder${done.removed.length === 1 ? '' : 's'} ${done.removed.join(', ')}`);
    } catch (e) {
      view.progress?.(`could not clean up after it: ${(e as Error).message}`);
    }
  }
}

/** `value` with every string in it (keys too) passed through `redact`. */
function redactValues(value: unknown, redact: (s: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactValues(v, redact));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactValues(v, redact)]));
  return value;
}

function collectReport(value: string, previous: { kind: ReportKind; file: string }[]) {
  const m = /^(json|junit|markdown)=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected KIND=FILE with KIND json, junit or markdown, got "${value}"`);
  return [...previous, { kind: m[1] as ReportKind, file: m[2]! }];
}

function reportProblems(problems: Problem[], warn: (s: string) => void) {
  for (const p of problems) warn(formatProblem(p));
  warn(`${problems.length} problem${problems.length === 1 ? '' : 's'} found; nothing was run.`);
}
