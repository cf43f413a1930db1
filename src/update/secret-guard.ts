import { findSecrets } from '../redact/redact.ts';

/**
 * `--update` must never write a secret into a page (pages are public), nor an output that was
 * cut to its size limit. Returns why a rewrite
 * of `file` is refused when `after` holds a secret that `before` did not (an example token the
 * author wrote on purpose is theirs to keep), or undefined when the rewrite may go ahead.
 */
export function refuseNewSecrets(file: string, before: string, after: string): string | undefined {
  // An output cut to its size limit is not what the command printed; it has no place in a page.
  const cut = /\n\[… [\d,]+ bytes \([\d,]+ lines\) of output left out;/.exec(after);
  if (cut && !before.includes(cut[0])) {
    const line = after.slice(0, cut.index + 1).split('\n').length;
    return `update: ${file}:${line}: not rewritten: the new output is over the size limit and was cut; shorten the command's output (e.g. | head) or elide it with ... by hand`;
  }
  const had = new Set(findSecrets(before).map((f) => f.value));
  const added = findSecrets(after).filter((f) => !had.has(f.value));
  if (added.length === 0) return undefined;
  const line = after.slice(0, added[0]!.index).split('\n').length;
  const kinds = [...new Set(added.map((f) => f.kind))].join(', ');
  return `update: ${file}:${line}: not rewritten: the new output holds a secret (${kinds}); edit the expected output by hand and mark the value with [[…]]`;
}
