import type { CommandBlock, FileBlock } from '../model/block.ts';
import { HOST_SESSION } from '../model/lab.ts';
import type { MarkVolatile } from './mark-volatile.ts';
import type { CodeToken, CommandView, FileView, OutputLine, StatusView, TranscriptView } from './view-model.ts';

/** What renderTranscript needs besides the block. */
export interface RenderTranscriptInput {
  /** Highlighted lines of each command's text, in command order (see `highlightCode`). */
  highlighted: CodeToken[][][];
  /** Splits expected output lines into literal and volatile segments. */
  markVolatile: MarkVolatile;
  status: StatusView;
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
  const commands: CommandView[] = block.commands.map((c, i) => {
    const lines = fitLines(input.highlighted[i], c.text);
    const output: OutputLine[] = c.expected.map((l) => {
      if (isElision(l.text)) return { kind: 'elision' };
      const tokens = input.markVolatile(l.text).map((s) =>
        s.label === undefined ? { text: s.text } : { text: s.text, volatile: { label: s.label, tip: `${capitalise(s.label)} — yours will differ`, tipId: `${anchor}-tip-${++tips}` } },
      );
      return { kind: 'text', tokens };
    });
    return { prompt: c.prompt, lines, output };
  });
  const session = block.options.session;
  return {
    kind: 'command',
    id: block.id,
    anchor,
    session,
    title: session === HOST_SESSION ? 'Terminal' : `Terminal · ${session}`,
    commands,
    copyText: copyTextOf(block),
    notes: describeOptions(block),
    status: input.status,
    source: `${block.file}:${block.line}`,
  };
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
    if (o.output === 'contains') notes.push('Only part of the output is shown; yours has more lines in between.');
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
