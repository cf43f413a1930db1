import type { VolatileClass } from './types.ts';
import { builtinPattern, DIGITS } from './shared.ts';

const DOW = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MON = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d{1,9})?';
const ZONE = '(?:Z|[+-]\\d{2}:?\\d{2})';
const FORMS = [
  // RFC 3339 / ISO 8601 and Go's default: `2022-05-17T11:15:04.123Z`, `2022-05-17 11:15:04`,
  // `2022-05-17 11:15:04.123 +0000 UTC`; `2022-05-17 11:15` (ls --time-style=long-iso).
  `\\d{4}-\\d{2}-\\d{2}(?:T| )\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?(?: ?${ZONE})?(?: [A-Z]{3,4})?`,
  // ctime/date(1)/Apache: `Tue May 17 09:46:05 2022`, `Tue May 17 09:46:05 UTC 2022`, `Wed May 18 20:52:16.872163 2022`.
  `${DOW} ${MON} +\\d{1,2} ${TIME}(?: [A-Z]{2,5})? \\d{4}`,
  // HTTP date: `Thu, 19 May 2022 21:38:04 GMT`.
  `${DOW}, \\d{2} ${MON} \\d{4} ${TIME} (?:GMT|UTC|[+-]\\d{4})`,
  // Common log format: `18/May/2022:21:45:00 +0000`.
  `\\d{2}\\/${MON}\\/\\d{4}:${TIME} [+-]\\d{4}`,
  // klog header: `I0517 11:15:04.123456`.
  `[IWEF]\\d{4} ${TIME}`,
  // ls -l: `May 17 09:46` (every form has `H:MM`, the tokenizer's hint).
  `${MON} +\\d{1,2} +\\d{2}:\\d{2}`,
  // A time of day alone: `09:46:05`, `20:52:16.872163`.
  TIME,
];

/** Timestamps in the formats common in command output. Never bound. */
export const timestampClass: VolatileClass = {
  name: 'timestamp',
  label: 'timestamp',
  pattern: builtinPattern(`(?=[\\dA-Z])(?<![\\w:./-])(?:${FORMS.join('|')})(?![\\w:]|\\.\\d)`),
  bind: false,
  hint: /\d:\d\d/,
  // Digits, a day or month name, or a klog level and digits.
  starts: {
    pairs: [[DIGITS, DIGITS], ['M', 'oa'], ['T', 'uh'], ['W', 'e'], ['F', 're'], ['S', 'aue'], ['J', 'au'], ['A', 'pu'], ['O', 'c'], ['N', 'o'], ['D', 'e'], ['IWEF', DIGITS]],
    notAfter: ':./-',
    test: startsLikeTimestamp,
  },
};

/** Digit-led forms have `-` after four digits, or `/` or `:` after two. */
function startsLikeTimestamp(line: string, q: number): boolean {
  if (line.charCodeAt(q) > 57) return true;
  const two = line.charCodeAt(q + 2);
  return two === 58 || two === 47 || line.charCodeAt(q + 4) === 45;
}
