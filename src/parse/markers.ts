import type { ExpectedLine } from '../model/block.ts';
import type { Problem } from '../model/location.ts';
import { makeProblem } from './problem.ts';

/**
 * Checks the inline volatile markers `[[…]]` of expected output lines (contract §5): each one
 * closes on its own line, holds a value, and does not nest. Normalise relies on this, so a
 * malformed marker is reported here, before anything runs, instead of silently matching literally.
 * @param column source column of the body's first character
 */
export function checkVolatileMarkers(lines: readonly ExpectedLine[], file: string, column = 1): Problem[] {
  const problems: Problem[] = [];
  for (const { text, line } of lines) {
    let i = text.indexOf('[[');
    if (i < 0) continue;
    const at = (index: number) => ({ file, line, column: column + index });
    while (i >= 0) {
      const close = text.indexOf(']]', i + 2);
      const nested = text.indexOf('[[', i + 2);
      if (close < 0) {
        problems.push(makeProblem('parse', at(i), 'volatile marker "[[" is not closed on its line', 'close it with "]]" on the same line, e.g. [[0.079/0.261/0.502]]'));
        break;
      }
      if (nested >= 0 && nested < close) {
        problems.push(makeProblem('parse', at(nested), 'volatile markers cannot nest', 'mark the whole value once: [[value]]'));
        break;
      }
      if (text.slice(i + 2, close).trim() === '') {
        problems.push(makeProblem('parse', at(i), 'empty volatile marker "[[]]"', 'put the example value between the brackets, or remove them'));
      }
      i = text.indexOf('[[', close + 2);
    }
  }
  return problems;
}
