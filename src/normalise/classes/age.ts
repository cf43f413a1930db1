import type { VolatileClass } from './types.ts';
import { builtinPattern, DIGITS, isDigit, skipDigits } from './shared.ts';

// kubectl's compact ages (`18s`, `4m29s`, `105m`, `35h`, `2d3h`, `400d`, `2y3d`) and Go/ping
// durations (`4.8s`, `2044ms`). Each unit appears at most once and in order, so the optional groups
// never compete for the same digits. `m(?!s)` leaves `5ms` to the seconds group.
const COMPOUND = '(?:\\d+y)?(?:\\d+d)?(?:\\d+h)?(?:\\d+m(?!s))?(?:\\d+(?:\\.\\d+)?(?:ms|µs|us|ns|s))?';
/** The forms of an age, in the order they are tried (exported for tests). */
export const AGE_FORMS: readonly string[] = [
  // RESTARTS column with the last restart: `2 (5m22s ago)`.
  `\\d+ \\((?=\\d)${COMPOUND} ago\\)`,
  // ping's summary: `0.079/0.261/0.502 ms`, `0.230/0.283/0.388/0.074 ms`.
  '\\d+(?:\\.\\d+)?(?:\\/\\d+(?:\\.\\d+)?){2,3} ?ms',
  // ping's `time=0.502 ms`.
  '\\d+(?:\\.\\d+)? ms',
  // `(?=\d)` plus the trailing guard rule out an empty match: an empty match would end before a digit.
  `(?=\\d)${COMPOUND}`,
];

const BEFORE = '(?=\\d)(?<![\\w.:])';
const AFTER = '(?![\\w.]|:\\d)';
/** One matcher per form: an age keeps its form (see `matcherFor`). */
const byForm = AGE_FORMS.map((f) => new RegExp(`${BEFORE}(?:${f})${AFTER}`, 'g'));
const wholeForm = AGE_FORMS.map((f) => new RegExp(`^(?:${f})$`));
/** The compact form (`4m29s`), the only one without a space or a slash. */
const COMPACT = AGE_FORMS.length - 1;

/** Ages and durations. Never bound: they only have to be of their class, and of the same form. */
export const ageClass: VolatileClass = {
  name: 'age',
  label: 'age or duration',
  pattern: builtinPattern(`${BEFORE}(?:${AGE_FORMS.join('|')})${AFTER}`),
  bind: false,
  /**
   * The form of the example: a compact age (`4m29s`, `2.5s`) stands only for a compact age, a
   * `time=0.5 ms` reading only for another, a restart count with its age only for one.
   */
  matcherFor(example) {
    // Every form but the compact one holds a space or a slash: without either, only the compact
    // one can match (this runs for every age of a large output).
    const k = example.includes(' ') || example.includes('/') ? wholeForm.findIndex((re) => re.test(example)) : wholeForm[COMPACT]!.test(example) ? COMPACT : -1;
    return k < 0 ? ageClass.pattern : byForm[k]!;
  },
  hint: /\d(?:[ydhms]|[µun]s| ms|\/\d)/,
  starts: { pairs: [[DIGITS, DIGITS + '.ydhmsun /']], notAfter: '.:', test: startsLikeAge },
};

/** Every form starts with digits (and maybe a fraction) followed by a unit, ` (`, ` ms` or `/`. */
function startsLikeAge(line: string, q: number): boolean {
  const int = skipDigits(line, q);
  if (unitAt(line, int)) return true;
  return line.charCodeAt(int) === 46 && isDigit(line.charCodeAt(int + 1)) && unitAt(line, skipDigits(line, int + 1));
}

function unitAt(line: string, i: number): boolean {
  switch (line.charCodeAt(i)) {
    case 32: {
      const next = line.charCodeAt(i + 1);
      return next === 40 || next === 109; // `(` or `m`
    }
    case 121: // y
    case 100: // d
    case 104: // h
    case 109: // m
    case 115: // s
    case 0xb5: // µ
    case 117: // u
    case 110: // n
    case 47: // /
      return true;
    default:
      return false;
  }
}
