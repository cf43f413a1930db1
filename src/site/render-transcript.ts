import type { CommandBlock, FileBlock } from '../model/block.ts';
import { HOST_SESSION } from '../model/lab.ts';
import type { VolatileDef } from '../model/lab.ts';
import type { NormaliseContext } from '../normalise/tokenize.ts';
import { commandValueTip, outputValueTip, splitCommandLine, type LabExamples } from './lab-examples.ts';
import type { MarkVolatile } from './mark-volatile.ts';
import type { CheckData, CodeToken, CommandView, FileView, OutputLine, StatusView, TranscriptView } from './view-model.ts';

/** What renderTranscript needs besides the block. */
export interface RenderTranscriptInput {
  /** Highlighted lines of each command's text, in command order (see `highlightCode`). */
  highlighted: CodeToken[][][];
  /** Splits expected output lines into literal and volatile segments. */
  markVolatile: MarkVolatile;
  status: StatusView;
  /** Where a learner's values are kept (lab id, or `page:<slug>`). @default "page" */
  scope?: string;
  /** Example values bound before each command, to mark in commands; with `ctx`. */
  examples?: LabExamples;
  /** The lab's normaliser context (classes, pins), to find values in commands. */
  ctx?: NormaliseContext;
  /** The lab's own volatile classes and pins, for the in-page checker. */
  lab?: { volatile?: VolatileDef[]; pin?: string[] };
  /** 1-based step number of the page, so tooltips say "above" or "in step 2". @default 1 */
  step?: number;
  /** Whether the block offers "Check my output" (not on slides, which are projected). @default true */
  checkable?: boolean;
}

/** Element id of a block on its page: `block-<id>`, the anchor records and reports link to. */
export function blockAnchor(id: string): string {
  return `block-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** The text the copy button copies: every command as typed (continuations and here-documents kept), one after another. */
export function copyTextOf(block: CommandBlock): string {
  return block.commands.map((c) => c.text).join('\n');
}

/** `...` alone on a line stands for any number of lines (contract §4). */
export function isElision(line: string): boolean {
  return line.trim() === '...';
}

/**
 * Turns a ```console block into what the TerminalBlock component shows: prompts apart from
 * commands, highlighted command lines, output with volatile values marked and `...` as an
 * elision, notes for the options a reader should know about, and the status badge.
 */
export function renderTranscript(block: CommandBlock, input: RenderTranscriptInput): TranscriptView {
  const anchor = blockAnchor(block.id);
  let tips = 0;
  const step = input.step ?? 1;
  const commands: CommandView[] = block.commands.map((c, i) => {
    let lines = fitLines(input.highlighted[i], c.text);
    const { examples, ctx } = input;
    if (examples && ctx) {
      const originOf = (example: string) => examples.boundBefore(block.id, i, example);
      lines = c.text.split('\n').map((raw, k) => {
        const segments = splitCommandLine(raw, ctx, originOf);
        if (!segments.some((s) => s.origin)) return lines[k]!;
        let at = 0;
        const marks = segments.flatMap((s) => {
          const start = at;
          at += s.text.length;
          return s.origin ? [{ start, end: at, value: { tip: commandValueTip(s.origin, step), tipId: `${anchor}-tip-${++tips}` } }] : [];
        });
        return markRanges(lines[k]!, marks);
      });
    }
    // Output values an earlier command printed are the same value again: the tooltip says so.
    const sameAs = (text: string) => (input.examples ? input.examples.boundBefore(block.id, i, text) : undefined);
    const output: OutputLine[] = c.expected.map((l) => {
      if (isElision(l.text)) return { kind: 'elision' };
      const tokens = input.markVolatile(l.text).map((s) => {
        if (s.label === undefined) return { text: s.text };
        const earlier = s.bind ? sameAs(s.text) : undefined;
        const tip = earlier ? outputValueTip(earlier, step) : `${capitalise(s.label)} — yours will differ`;
        return { text: s.text, volatile: { label: s.label, tip, tipId: `${anchor}-tip-${++tips}`, ...(s.bind ? { bind: true } : {}) } };
      });
      return { kind: 'text', tokens };
    });
    return { prompt: c.prompt, lines, output };
  });
  const session = block.options.session;
  const check = input.checkable === false ? undefined : checkDataOf(block, input.lab);
  return {
    kind: 'command',
    id: block.id,
    anchor,
    session,
    title: `Terminal · ${session === HOST_SESSION ? 'your machine' : session}`,
    commands,
    copyText: copyTextOf(block),
    notes: describeOptions(block),
    status: input.status,
    source: `${block.file}:${block.line}`,
    scope: input.scope ?? 'page',
    ...(check ? { check } : {}),
  };
}

/** What the in-page checker needs for a block, or undefined when none of its output is compared. */
export function checkDataOf(block: CommandBlock, lab: RenderTranscriptInput['lab']): CheckData | undefined {
  const mode = block.options.output;
  if (mode === 'ignore' || block.options.background) return undefined;
  if (!block.commands.some((c) => c.expected.length > 0)) return undefined;
  return {
    volatile: (lab?.volatile ?? []).map((v) => (typeof v === 'string' ? v : { ...v })),
    pin: [...(lab?.pin ?? [])],
    mode,
    file: block.file,
    commands: block.commands.map((c) => ({ prompt: c.prompt, text: c.text, expected: c.expected.map((e) => ({ text: e.text, line: e.line })) })),
  };
}

/** Splits highlighted tokens at the given character ranges and marks the pieces inside them. */
export function markRanges(tokens: CodeToken[], marks: { start: number; end: number; value: NonNullable<CodeToken['value']> }[]): CodeToken[] {
  const out: CodeToken[] = [];
  let at = 0;
  for (const t of tokens) {
    const end = at + t.text.length;
    let pos = at;
    while (pos < end) {
      const inside = marks.find((m) => m.start <= pos && pos < m.end);
      const next = inside ? Math.min(inside.end, end) : Math.min(end, ...marks.filter((m) => m.start > pos).map((m) => m.start));
      const piece: CodeToken = { text: t.text.slice(pos - at, next - at) };
      if (t.style) piece.style = t.style;
      if (inside) piece.value = inside.value;
      out.push(piece);
      pos = next;
    }
    at = end;
  }
  return out;
}

/** Turns a `file=` block into what the FileBlock component shows. */
export function renderFile(block: FileBlock, input: { highlighted: CodeToken[][]; status: StatusView }): FileView {
  const text = block.content.replace(/\n$/, '');
  const notes = block.session === HOST_SESSION ? [] : [`Saved in the working directory of the ${block.session} session.`];
  return {
    kind: 'file',
    id: block.id,
    anchor: blockAnchor(block.id),
    path: block.path,
    lang: block.lang,
    session: block.session,
    lines: fitLines(input.highlighted, text),
    copyText: text,
    notes,
    status: input.status,
    source: `${block.file}:${block.line}`,
  };
}

/**
 * The note under a block whose page shows only part of the output. It speaks of the page's text,
 * so it steps aside while Replay shows the whole recorded output in its place.
 */
export const PARTIAL_OUTPUT_NOTE = 'Only part of the output is shown; yours has more lines in between.';

/**
 * Notes on the options that change what a reader sees or should do. Defaults say nothing;
 * `skip=` is shown by the status badge with its reason.
 */
export function describeOptions(block: CommandBlock): string[] {
  const o = block.options;
  const notes: string[] = [];
  if (o.opens) notes.push(`Opens the ${o.opens} shell: the blocks marked ${o.opens} below are typed into it.`);
  if (o.background) notes.push('Keeps running in the background while you go on; its output is not checked.');
  if (o.waitMs !== undefined) notes.push(`The output may take a moment to look like this: checked again for up to ${formatDuration(o.waitMs)}.`);
  if (o.exit === 'any') notes.push('The exit status is not checked.');
  else if (o.exit !== 0) notes.push(`Expected to fail, with exit status ${o.exit}.`);
  if (!o.background) {
    if (o.output === 'contains') notes.push(PARTIAL_OUTPUT_NOTE);
    else if (o.output === 'unordered') notes.push('The lines of the output may come in any order.');
    else if (o.output === 'ignore') notes.push('The output is not checked.');
  }
  return notes;
}

/** `500 ms`, `30 s`, `5 min`, `1 min 30 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}

/** Highlighted lines, padded or re-split so there is exactly one entry per line of `text`. */
function fitLines(highlighted: CodeToken[][] | undefined, text: string): CodeToken[][] {
  const raw = text.split('\n');
  if (highlighted && highlighted.length === raw.length && highlighted.every((l, i) => l.map((t) => t.text).join('') === raw[i])) return highlighted;
  return raw.map((t) => (t ? [{ text: t }] : []));
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
