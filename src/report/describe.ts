import { renderDiff } from '../match/diff.ts';
import type { BlockResult } from '../model/result.ts';

/**
 * Explains why a block did not pass: for each command that failed, the command as run,
 * the reason and the diff (expected vs actual, with volatile tokens and bindings explained).
 * Returns undefined for blocks that passed or were skipped.
 */
export function describeFailure(r: BlockResult, opts: { color: boolean }): string | undefined {
  if (r.status === 'pass' || r.status === 'skip' || r.status === 'flaky') return undefined;
  const out: string[] = [];
  if (r.reason) out.push(r.reason);
  for (const c of r.commands) {
    if (c.ok) continue;
    out.push(`$ ${c.ran.split('\n').join('\n  ')}`);
    if (c.reason && !r.reason?.startsWith(c.reason)) out.push(c.reason);
    if (c.diff && c.diff.length > 0) out.push(renderDiff(c.diff, { color: opts.color, file: r.file }));
  }
  return out.join('\n');
}
