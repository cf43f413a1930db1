import type { Block } from '../model/block.ts';
import type { SessionDef } from '../model/lab.ts';
import { normaliseOutput, trimBlankLines } from '../normalise/normalise.ts';
import { extractBlocks } from '../parse/extract-blocks.ts';
import { REDACTED, redactSecrets as redact } from '../redact/redact.ts';
import type { RecordedCommand } from './shell-hooks.ts';

/** Where the recorded blocks go and how the page reads them. */
export interface ComposeOptions {
  /** Step file as shown to users. */
  file: string;
  slug: string;
  /** The lab's sessions (for parsing the page back). */
  sessions: Record<string, SessionDef>;
  /** The session recorded into, and its prompt. */
  session: string;
  prompt: string;
  /** Whether `session` is the default one (no `session=` option is written). */
  isDefaultSession: boolean;
  /** The recording's work folder: a run gets another one, so a page that shows it drifts. */
  workDir?: string;
}

/** What recording adds to a page. */
export interface ComposedRecording {
  /** The whole new page (the old one byte for byte, then the new blocks). */
  source: string;
  /** How many commands became blocks. */
  written: number;
  /** One line per command left out or written with a caveat, for the console. */
  notes: string[];
  /** Why the new page cannot be written (it would not parse back to the old blocks plus the recorded ones). */
  problem?: string;
}

/** A recorded command as it will be written: text and expected lines, cleaned and redacted. */
interface Entry {
  command: string;
  lines: string[];
  exitCode: number;
}

/**
 * Appends one `console` block per recorded command to `source` (contract §3): the session's
 * prompt before the command, its output cleaned as a comparison would clean it (escape sequences
 * and carriage-return redraws gone, trailing spaces and blank edge lines dropped), `exit=N` when
 * it did not exit 0, and `session=NAME` outside the default session. Values are written as they
 * were printed: they are the page's examples. Secrets are replaced with [REDACTED] (the next
 * verify then fails there, and a note says to mark the value). A command is left out, with a
 * note, when it was interrupted, printed too much, or printed a line that would read as page
 * syntax (a prompt or a `...` line). Pure.
 */
export function composeRecording(source: string, recorded: readonly RecordedCommand[], o: ComposeOptions): ComposedRecording {
  const notes: string[] = [];
  const entries: Entry[] = [];
  for (const r of recorded) {
    const first = r.command.split('\n')[0]!;
    const name = `\`${first}${r.command.includes('\n') ? ' …' : ''}\``;
    if (r.exitCode >= 129 && r.exitCode <= 165) {
      notes.push(`${name} was interrupted (exit ${r.exitCode}, signal ${r.exitCode - 128}); not written`);
      continue;
    }
    if (r.cut) {
      notes.push(`${name} printed more than the recorder keeps; not written — shorten its output (e.g. | head) and record it again`);
      continue;
    }
    const lines = normaliseOutput(r.output);
    const hazard = lines.find((l) => l.trim() === '...' || l.startsWith(o.prompt) || (o.prompt.trimEnd() !== '' && l === o.prompt.trimEnd()));
    if (hazard !== undefined) {
      notes.push(`${name} printed the line ${JSON.stringify(hazard)}, which a page would read as ${hazard.trim() === '...' ? 'an elision' : 'a command'}; not written — filter that line out in the command, or write the block by hand`);
      continue;
    }
    const command = redact(r.command);
    const safeLines = lines.map(redact);
    if (command !== r.command) notes.push(`${name}: the command held a secret, written as ${REDACTED}; put it in a variable set outside the page, or labs verify will run ${REDACTED}`);
    if (safeLines.some((l, i) => l !== lines[i])) notes.push(`${name}: its output held a secret, written as ${REDACTED}; mark that value with [[…]] so labs verify matches it`);
    if (o.workDir && safeLines.some((l) => l.includes(o.workDir!))) notes.push(`${name} printed the work folder ${o.workDir}, which is another temporary folder on every run; labs verify will fail there until you mark it [[…]] or print a path relative to it`);
    entries.push({ command, lines: safeLines, exitCode: r.exitCode });
  }
  if (entries.length === 0) return { source, written: 0, notes };

  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  let out = source;
  if (out !== '' && !out.endsWith('\n')) out += eol;
  for (const e of entries) {
    const body = [...e.command.split('\n').map((l, i) => (i === 0 ? o.prompt + l : l)), ...e.lines];
    const fence = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
    const options = [...(o.isDefaultSession ? [] : [`session=${o.session}`]), ...(e.exitCode !== 0 ? [`exit=${e.exitCode}`] : [])];
    out += [``, `${fence}console${options.length > 0 ? ' ' + options.join(' ') : ''}`, ...body, fence, ''].join(eol);
  }
  const problem = checkAppended(source, out, entries.length, o, entries);
  return { source: out, written: entries.length, notes, ...(problem ? { problem } : {}) };
}

/**
 * Checks that `after` is `before` with blocks added at the end: `before` is its prefix, its
 * blocks parse the same, and the added blocks are exactly the commands and outputs recorded.
 * Returns a problem, or undefined.
 */
export function checkAppended(before: string, after: string, added: number, o: ComposeOptions, expected: readonly { command: string; lines: readonly string[] }[]): string | undefined {
  if (!after.startsWith(before)) return 'the page would not keep what it had';
  const ctx = { file: o.file, slug: o.slug, sessions: o.sessions };
  const first = extractBlocks(before, ctx);
  const old = first.blocks;
  const parsed = extractBlocks(after, ctx);
  const now = parsed.blocks;
  const fresh = parsed.problems.find((p) => !first.problems.some((q) => q.message === p.message && q.location.line === p.location.line));
  if (fresh) return `the page would have a problem at line ${fresh.location.line}: ${fresh.message}`;
  if (now.length !== old.length + added) return `the page would parse to ${now.length} blocks, not ${old.length} + ${added}`;
  for (let i = 0; i < old.length; i++) if (JSON.stringify(shapeOf(old[i]!)) !== JSON.stringify(shapeOf(now[i]!))) return `the block at ${o.file}:${old[i]!.line} would change`;
  const appended = now.slice(old.length);
  for (let i = 0; i < appended.length; i++) {
    const b = appended[i]!;
    const want = expected[i]!;
    if (b.kind !== 'command' || b.commands.length !== 1) return `the recorded block at ${o.file}:${b.line} would not read as one command`;
    const c = b.commands[0]!;
    if (c.text !== want.command) return `the command at ${o.file}:${c.line} would read back as ${JSON.stringify(c.text)}`;
    const got = c.expected.map((l) => l.text);
    if (JSON.stringify(trimBlankLines(got)) !== JSON.stringify(trimBlankLines([...want.lines]))) return `the output of ${o.file}:${c.line} would not read back as recorded`;
  }
  return undefined;
}

function shapeOf(b: Block): unknown {
  return b.kind === 'command' ? { id: b.id, commands: b.commands.map((c) => [c.text, c.expected.map((l) => l.text)]), options: { ...b.options } } : { id: b.id, path: b.path, content: b.content };
}

function longestBacktickRun(lines: readonly string[]): number {
  let n = 0;
  for (const l of lines) {
    const m = /^ {0,3}(`+)/.exec(l);
    if (m) n = Math.max(n, m[1]!.length);
  }
  return n;
}
