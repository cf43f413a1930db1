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

const GUARD_BEFORE = '(?=[\\dA-Z])(?<![\\w:./-])';
const GUARD_AFTER = '(?![\\w:]|\\.\\d)';

/** Timestamps in the formats common in command output. Never bound, but a timestamp keeps its layout. */
export const timestampClass: VolatileClass = {
  name: 'timestamp',
  label: 'timestamp',
  pattern: builtinPattern(`${GUARD_BEFORE}(?:${FORMS.join('|')})${GUARD_AFTER}`),
  bind: false,
  matcherFor: layoutMatcher,
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

const layouts = new Map<string, RegExp>();

/**
 * A matcher for timestamps laid out like `example`: the same fields in the same order with the
 * same separators, so an ISO time never stands for a `date` one, nor a time with seconds for one
 * without. What may differ is what differs between two runs: digits (a fraction's length, a
 * space-padded day's width), day and month names, the zone's abbreviation and sign.
 * @example layoutMatcher('2026-12-05T18:00:00Z') // matches 2027-01-31T09:05:59Z, not Sat Dec  5 18:00:00 UTC 2026
 */
export function layoutMatcher(example: string): RegExp {
  let re = layouts.get(example);
  if (re) return re;
  let src = '';
  for (let i = 0; i < example.length; ) {
    const rest = example.slice(i);
    const digits = /^\d+/.exec(rest)?.[0];
    if (digits) {
      const prev = example[i - 1];
      const fraction = (prev === '.' || prev === ',') && /\d/.test(example[i - 2] ?? '');
      src += fraction ? '\\d{1,9}' : digits.length <= 2 && (prev === ' ' || prev === undefined) ? '\\d{1,2}' : `\\d{${digits.length}}`;
      i += digits.length;
      continue;
    }
    const name = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?![a-z])/.exec(rest)?.[0] ?? /^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?![a-z])/.exec(rest)?.[0];
    if (name) {
      src += DOW.includes(name) ? DOW : MON;
      i += name.length;
      continue;
    }
    const zone = /^[A-Z]{3,5}(?![A-Za-z])/.exec(rest)?.[0];
    if (zone) {
      src += '[A-Z]{2,5}';
      i += zone.length;
      continue;
    }
    const c = example[i]!;
    if (c === ' ') {
      const run = /^ +/.exec(rest)![0];
      src += ' +';
      i += run.length;
      continue;
    }
    if ((c === '+' || c === '-') && /^[+-]\d{2}:?\d{2}(?!\d)/.test(rest) && /[\d ]/.test(example[i - 1] ?? '')) src += '[+-]';
    else if (i === 0 && /^[IWEF]\d{4} /.test(example)) src += '[IWEF]';
    else src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    i++;
  }
  re = new RegExp(`${GUARD_BEFORE}${src}${GUARD_AFTER}`, 'g');
  layouts.set(example, re);
  return re;
}
