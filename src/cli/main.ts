import { Command, InvalidArgumentError, Option } from 'commander';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { formatProblem, type Problem } from '../model/location.ts';
import { hashBlock } from '../model/hash.ts';
import { readRecord, recordPath, writeFileAtomic, writeRecord } from '../record/records.ts';
import { createConsoleView } from '../report/console.ts';
import { renderJsonReport } from '../report/json.ts';
import { renderJunitReport } from '../report/junit.ts';
import { renderMarkdownReport } from '../report/markdown.ts';
import { addSummaries, formatSummary, hasDrift, summarise } from '../report/summary.ts';
import type { LabRunResult, RunReport } from '../report/types.ts';
import { runLab } from '../run/run-lab.ts';
import { Redactor } from '../redact/redact.ts';
import { redactRun } from '../redact/redact-run.ts';
import { planTarget, type PreparedTarget, type TargetPlan } from './targets.ts';
import { updateExpected } from '../update/rewrite-expected.ts';
import { parseShard, recordsRootFor, selectLabs, shardLabs, type SelectedLab } from './select-labs.ts';
import { HELP_FORMAT } from './help.ts';

/** Exit statuses (contract §7). */
export const EXIT = { ok: 0, drift: 1, badInput: 2, interrupted: 130 } as const;

type ReportKind = 'json' | 'junit' | 'markdown';

interface VerifyOptions {
  target?: 'local' | 'kind' | 'context';
  context?: string;
  update?: boolean;
  report: { kind: ReportKind; file: string }[];
  keep?: boolean;
  reuse?: boolean;
  allowDestructive?: boolean;
  shard?: { index: number; total: number };
  records?: string;
  record: boolean;
  color?: boolean;
}

/** Runs the `labs` command line; resolves to the exit status. */
export async function main(argv: string[], io: { cwd?: string; stdout?: NodeJS.WritableStream; stderr?: NodeJS.WriteStream } = {}): Promise<number> {
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
    .option('--keep', 'keep the cluster (kind target) after the run')
    .option('--reuse', 'reuse a cluster this tool created earlier (kind target)')
    .option('--allow-destructive', 'allow a lab’s teardown to run against the cluster of --target context')
    .option('--shard <i/n>', 'run only shard I of N (labs dealt round-robin by id)', (v) => {
      const s = parseShard(v);
      if (!s) throw new InvalidArgumentError('expected I/N with 1 ≤ I ≤ N, e.g. 2/3');
      return s;
    })
    .option('--records <dir>', 'folder for verification/<lab>.json records (default: the project’s verification/)')
    .option('--no-record', 'do not write records')
    .option('--no-color', 'plain output even on a terminal')
    .action(async (paths: string[], options: VerifyOptions) => {
      status = await verify(paths, options);
    });

  program
    .command('list')
    .description('labs, steps and blocks with their last recorded status')
    .argument('[path...]', 'lab folders or folders of labs (default: content/labs)')
    .option('--records <dir>', 'folder holding the records (default: the project’s verification/)')
    .action(async (paths: string[], options: { records?: string }) => {
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

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    const code = (e as { code?: string; exitCode?: number }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return EXIT.ok;
    if (code?.startsWith('commander.')) return EXIT.badInput;
    throw e;
  }
  return status;

  async function verify(paths: string[], o: VerifyOptions): Promise<number> {
    const color = o.color !== false && Boolean(stderr.isTTY);
    const { labs: selected, problems } = await selectLabs(paths, cwd);
    const labs = o.shard ? shardLabs(selected, o.shard) : selected;
    // Which labs can run here, and what is missing for the others: all of it before anything runs.
    const runnable: { s: SelectedLab; plan: TargetPlan }[] = [];
    for (const s of labs) {
      const plan = await planTarget(s.lab, o, paths.length > 0);
      problems.push(...plan.problems);
      if (plan.skipReason) warn(pc.dim(`skipping ${s.lab.id}: ${plan.skipReason}`));
      else runnable.push({ s, plan });
    }
    if (problems.length > 0) {
      reportProblems(problems, warn);
      return EXIT.badInput;
    }
    if (runnable.length === 0) {
      warn('no lab to verify');
      return EXIT.ok;
    }

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
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    const runs: LabRunResult[] = [];
    /** The same runs before redaction: only `--update` sees them, and it refuses to write a secret. */
    const rawRuns: LabRunResult[] = [];
    let prepareFailed = false;
    const view = createConsoleView({ stream: stderr, tty: color, redactor });
    try {
      for (const { s: { lab, onlySteps }, plan } of runnable) {
        if (controller.signal.aborted) break;
        const workDir = await mkdtemp(join(tmpdir(), `labs-${lab.id}-`));
        let prepared: PreparedTarget | undefined;
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
          const raw = await runLab(lab, { target, workDir, environment, initialBindings, onlySteps, events: view, signal: controller.signal });
          rawRuns.push(raw);
          const run = redactRun(raw, redactor);
          runs.push(run);
          if (o.record) {
            const root = o.records ? resolve(cwd, o.records) : join(recordsRootFor(lab.dir), 'verification');
            const written = await writeRecord(root, run);
            warn(pc.dim(`  record: ${relative(cwd, written) || written}`));
          }
        } finally {
          await prepared?.release();
          await rm(workDir, { recursive: true, force: true });
        }
      }
    } finally {
      view.close();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }

    const summary = runs.reduce((s, r) => addSummaries(s, summarise(r.results)), summarise([]));
    const interrupted = controller.signal.aborted;
    const report: RunReport = { labs: runs, summary, interrupted };
    for (const r of o.report) {
      const text = r.kind === 'json' ? renderJsonReport(report) : r.kind === 'junit' ? renderJunitReport(report) : renderMarkdownReport(report);
      await writeFileAtomic(resolve(cwd, r.file), redactor.redact(text));
      warn(pc.dim(`report: ${r.file}`));
    }
    if (o.update && !interrupted) {
      for (const run of rawRuns) {
        const u = await updateExpected(run);
        for (const line of u.messages) warn(line);
      }
    }
    const lab = runs.some((r) => r.labErrors.length > 0);
    if (runs.length > 1 || lab) warn(`${interrupted ? 'interrupted: ' : ''}all labs: ${formatSummary(summary)}${lab ? ' (with lab setup/teardown errors)' : ''}`);
    if (interrupted) return EXIT.interrupted;
    return hasDrift(summary) || lab || prepareFailed ? EXIT.drift : EXIT.ok;
  }
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
