import pc from 'picocolors';
import type { Block, Step } from '../model/block.ts';
import type { BlockResult } from '../model/result.ts';
import type { RunEvents } from '../run/events.ts';
import { formatMs } from '../run/run-lab.ts';
import { capText, STORE_CAP } from '../model/cap-output.ts';
import { Redactor } from '../redact/redact.ts';
import { learnResult, redactCapResult } from '../redact/redact-run.ts';
import { describeFailure } from './describe.ts';
import { formatSummary, summarise } from './summary.ts';

/** Options of {@link createConsoleView}. */
export interface ConsoleViewOptions {
  /** Where lines go. @default process.stderr */
  stream?: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean };
  /** Colours and a live "running…" line. @default stream.isTTY */
  tty?: boolean;
  /** Print diffs of failing blocks as they happen. @default true */
  diffs?: boolean;
  /** Hides secrets in everything written; shared with the records and reports of the same run. @default a new one */
  redactor?: Redactor;
  /** Print what every command really printed (`--show-actual`), under each block. @default false */
  showActual?: boolean;
}

/** Off a terminal, block lines wait at most this long to be written together, */
const BATCH_MS = 100;
/** or until this much text waits. */
const BATCH_CHARS = 16 * 1024;

const MARK: Record<BlockResult['status'], string> = { pass: '✓', flaky: '~', fail: '✗', error: '!', skip: '-', blocked: '·' };

/**
 * The live console view of a run: one line per step and block, a diff under each failure.
 * On a TTY, a transient line shows what is running and for how long; elsewhere only plain
 * lines are written, plus a "still running" line every 30 seconds of a long command.
 */
export function createConsoleView(opts: ConsoleViewOptions = {}): RunEvents & { close(): void } {
  const stream = opts.stream ?? process.stderr;
  const tty = opts.tty ?? Boolean(stream.isTTY);
  const c = tty ? pc : pc.createColors(false);
  const redactor = opts.redactor ?? new Redactor();
  /** What runs now: a label, or the block whose label is made when the live line first shows it (most blocks end before). */
  let live: { label?: string; block?: Block; since: number } | undefined;
  const liveLabel = (l: NonNullable<typeof live>) => (l.label ??= blockLabel(l.block!));
  let liveShown = false;
  let lastPlainNotice = 0;

  const clearLive = () => {
    if (tty && liveShown) stream.write('\r\x1b[2K');
    liveShown = false;
  };
  // Off a terminal (a CI log, a pipe, a file), the lines of blocks that end in quick succession
  // go out together, at most BATCH_MS after the first of them: one write instead of one per
  // line. Anything else (a step, a phase, the summary, closing, the process ending) writes what
  // is waiting first, so the order of lines never changes.
  let pending = '';
  let flushTimer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    if (pending === '') return;
    const out = pending;
    pending = '';
    stream.write(out);
  };
  const line = (s: string, batch = false) => {
    clearLive();
    const text = redactor.redact(s) + '\n';
    if (tty || !batch) {
      flush();
      stream.write(text);
      return;
    }
    pending += text;
    if (pending.length >= BATCH_CHARS) flush();
    else if (!flushTimer) {
      flushTimer = setTimeout(flush, BATCH_MS);
      flushTimer.unref();
    }
  };
  process.once('exit', flush);
  const timer = setInterval(() => {
    if (!live) return;
    const elapsed = Date.now() - live.since;
    if (tty) {
      stream.write(`\r\x1b[2K${c.dim(`  … ${redactor.redact(liveLabel(live))} ${formatMs(Math.round(elapsed / 100) * 100)}`)}`);
      liveShown = true;
    } else if (elapsed - lastPlainNotice >= 30_000) {
      lastPlainNotice = elapsed - (elapsed % 30_000);
      line(`  … still running ${liveLabel(live)} (${formatMs(lastPlainNotice)})`);
    }
  }, tty ? 100 : 1000);
  timer.unref();
  const startLive = (label: string) => {
    live = { label, since: Date.now() };
    lastPlainNotice = 0;
  };

  const colourFor = (s: BlockResult['status']) =>
    s === 'pass' ? c.green : s === 'flaky' ? c.yellow : s === 'skip' || s === 'blocked' ? c.dim : c.red;

  return {
    labStart(lab, target) {
      const blocks = lab.steps.reduce((n, s) => n + s.blocks.length, 0);
      line(c.bold(`${lab.config.title}`) + c.dim(` (${lab.id}, target ${target}, ${plural(lab.steps.length, "step")}, ${plural(blocks, "block")})`));
    },
    phase(label) {
      line(c.dim(`  ${label}`));
      startLive(label);
    },
    progress(text) {
      line(c.dim(`    ${text}`));
    },
    stepStart(step: Step) {
      live = undefined;
      line(c.cyan(`▶ ${step.title}`) + c.dim(` ${step.file}`));
    },
    blockStart(block: Block) {
      live = { block, since: Date.now() };
      lastPlainNotice = 0;
    },
    retry(block, attempt, reason) {
      line(c.yellow(`  ↻ ${block.id} attempt ${attempt}`) + c.dim(` (${reason.split('\n')[0]})`));
      startLive(`${block.id} attempt ${attempt}`);
    },
    blockEnd(block: Block, raw: BlockResult) {
      live = undefined;
      learnResult(redactor, raw);
      const diff = (raw.status === 'fail' || raw.status === 'error') && opts.diffs !== false;
      // A redacted, capped copy of the whole result only when its commands are shown; the status
      // line needs only the reason, redacted and capped the same way.
      const r = diff || opts.showActual ? redactCapResult(redactor, raw) : undefined;
      const status = raw.status;
      const reason = r ? r.reason : raw.reason === undefined ? undefined : capText(redactor.redact(raw.reason), STORE_CAP);
      const col = colourFor(status);
      const extra = status === 'skip' ? ` skipped: ${reason}` : status === 'blocked' ? ` blocked: ${reason}` : status === 'flaky' ? ` flaky: ${reason}` : '';
      line(`  ${col(MARK[status])} ${raw.id} ${c.dim(`${block.file}:${block.line} ${formatMs(raw.durationMs)}${extra}`)}`, !r);
      if (r && diff) {
        const text = describeFailure(r, { color: tty }) ?? '';
        for (const l of text.split('\n')) line(`      ${l}`);
      }
      if (r && opts.showActual) for (const l of actualLines(r)) line(c.dim(`      ${l}`));
    },
    labEnd(run) {
      live = undefined;
      for (const e of run.labErrors) line(c.red(`  ! ${e}`));
      const counts = formatSummary(summarise(run.results));
      const took = formatMs(Date.parse(run.finishedAt) - Date.parse(run.startedAt));
      line(`${run.interrupted ? c.yellow('interrupted') : ''}${run.interrupted ? ': ' : ''}${counts} ${c.dim(`in ${took}`)}`);
    },
    close() {
      flush();
      process.off('exit', flush);
      clearInterval(timer);
      clearLive();
    },
  };
}

/**
 * What each command of a block really printed, as a transcript: `$ ` and the command as it ran
 * (with the real values substituted), then its output (as stored: secrets redacted, long
 * outputs cut with a marker), `│`-prefixed so empty lines and trailing spaces stay visible.
 */
export function actualLines(r: BlockResult): string[] {
  const out: string[] = [];
  for (const cmd of r.commands) {
    const [first, ...rest] = cmd.ran.split('\n');
    out.push(`$ ${first}`, ...rest.map((l) => `> ${l}`));
    const status = cmd.timedOut ? 'timed out' : cmd.exitCode === null ? '' : `exit ${cmd.exitCode}`;
    if (cmd.output !== '') out.push(...cmd.output.split('\n').map((l) => `│ ${l}`));
    if (status) out.push(`  (${status})`);
  }
  return out;
}

/** `id: first line of its first command` (or `id: writing PATH`), as the live line shows a block. */
function blockLabel(block: Block): string {
  const what = block.kind === 'file' ? `writing ${block.path}` : (block.commands[0]?.text.split('\n')[0] ?? '');
  return `${block.id}: ${what}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
