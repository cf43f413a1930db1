import pc from 'picocolors';
import type { DiffLine } from '../model/result.ts';

export interface RenderDiffOptions {
  /** ANSI colours (terminals); plain text otherwise. */
  color: boolean;
  /** The step file, shown as `file:line` before expected lines. */
  file: string;
  /** Unchanged lines kept around a change; longer unchanged runs are folded. @default 3 */
  context?: number;
}

const SIGN: Record<DiffLine['op'], string> = { '=': ' ', '-': '-', '+': '+', '~': '~' };

/**
 * Renders a match diff for a terminal: one line per diff line, prefixed by its op (`-` expected
 * but missing, `+` actual but unexpected, `~` matched through volatile tokens or `...`, a blank
 * for equal lines) and the expected line's `file:line`, with notes indented below. Long runs of
 * equal lines without notes are folded to `context` lines on each side.
 * @example
 * -  02-pods.mdx:14  web    1/1     Running   0          18s   10.0.0.128
 *                      ↳ column 24: expected "Running", got "Pending   0  …"
 * +                  web    0/1     Pending   0          2s    <none>
 */
export function renderDiff(diff: readonly DiffLine[], opts: RenderDiffOptions): string {
  const context = opts.context ?? 3;
  const c = opts.color ? pc : plain;
  const where = (l: DiffLine) => (l.line !== undefined ? `${opts.file}:${l.line}` : '');
  // A loop, not Math.max(...spread): a diff of a huge output has more lines than a call has arguments.
  let width = 0;
  for (const l of diff) width = Math.max(width, where(l).length);
  const out: string[] = [];
  const paint = (l: DiffLine, s: string) => (l.op === '-' ? c.red(s) : l.op === '+' ? c.green(s) : l.op === '~' ? c.yellow(s) : s);
  const plainRun = (k: number) => diff[k]!.op === '=' && !diff[k]!.notes?.length;
  for (let k = 0; k < diff.length; k++) {
    if (plainRun(k)) {
      let end = k;
      while (end < diff.length && plainRun(end)) end++;
      const keepHead = k === 0 ? 0 : context;
      const keepTail = end === diff.length ? 0 : context;
      if (end - k > keepHead + keepTail + 1) {
        for (let q = k; q < k + keepHead; q++) out.push(renderLine(diff[q]!));
        out.push(c.dim(`${' '.repeat(width + 3)}… ${end - k - keepHead - keepTail} matching lines`));
        for (let q = end - keepTail; q < end; q++) out.push(renderLine(diff[q]!));
        k = end - 1;
        continue;
      }
    }
    out.push(renderLine(diff[k]!));
  }
  return out.join('\n');

  function renderLine(l: DiffLine): string {
    const head = `${SIGN[l.op]} ${where(l).padEnd(width)}`;
    const lines = [`${paint(l, SIGN[l.op])} ${c.dim(head.slice(2))}  ${paint(l, l.text)}`];
    for (const note of l.notes ?? []) lines.push(`${' '.repeat(width + 4)}${c.dim('↳ ' + note)}`);
    return lines.join('\n');
  }
}

const identity = (s: string) => s;
const plain = { red: identity, green: identity, yellow: identity, dim: identity };
