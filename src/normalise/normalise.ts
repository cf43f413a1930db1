// ESC followed by: a CSI sequence (`ESC [ params intermediates final`), an OSC string (up to BEL,
// ST or the next ESC, so an unterminated one cannot swallow the rest), or any other escape
// (`ESC ( B`, `ESC =`). The trailing `?` also consumes a lone ESC, so no ESC survives one pass —
// which is what makes normalising idempotent.
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -/]*[0-~])?/g;
// C0 controls other than tab, LF and CR (handled separately), and DEL.
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;
// Anything that needs more than trimming: ESC, CR, other controls.
const SPECIAL = /[\x00-\x08\x0b-\x1f\x7f]/;

/**
 * Normalises one line of output (contract §4): removes ANSI escapes, applies carriage-return
 * redraws (a terminal shows the text after the last `\r`; trailing `\r`s redraw nothing), drops
 * other control characters and trailing whitespace. Idempotent.
 */
export function normaliseLine(line: string): string {
  if (!SPECIAL.test(line)) return trimEnd(line);
  let s = line.includes('\x1b') ? line.replace(ANSI, '') : line;
  if (s.includes('\r')) {
    let end = s.length;
    while (end > 0 && s.charCodeAt(end - 1) === 13) end--;
    s = s.slice(s.lastIndexOf('\r', end - 1) + 1, end);
  }
  return trimEnd(s.replace(CONTROL, ''));
}

/**
 * Normalises a command's raw output into lines (contract §4): `\r\n` is a newline, each line is
 * normalised (see `normaliseLine`), and leading and trailing blank lines are dropped. Pure and
 * idempotent: `normaliseOutput(normaliseOutput(x).join('\n'))` equals `normaliseOutput(x)`.
 * @example normaliseOutput('\x1b[32mok\x1b[0m  \r\n') // ['ok']
 */
export function normaliseOutput(raw: string): string[] {
  return trimBlankLines(normaliseLines(raw.split('\n')));
}

/**
 * `lines.map(normaliseLine)`, except that it returns `lines` itself when no line changes (most
 * output needs nothing): a second array of a million lines costs more than its size, since the
 * garbage collector has to visit every young string an old array points to.
 */
export function normaliseLines<T extends readonly string[]>(lines: T): T | string[] {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const n = normaliseLine(line);
    if (n === line) continue;
    const out = lines.slice();
    out[i] = n;
    for (let k = i + 1; k < lines.length; k++) out[k] = normaliseLine(lines[k]!);
    return out;
  }
  return lines;
}

/** Drops leading and trailing blank lines (in place when possible). */
export function trimBlankLines<T extends readonly string[]>(lines: T): T | string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start] === '') start++;
  while (end > start && lines[end - 1] === '') end--;
  return start === 0 && end === lines.length ? lines : lines.slice(start, end);
}

// A loop, not /[ \t]+$/: that regex retries from every position of an inner run of spaces.
function trimEnd(s: string): string {
  let end = s.length;
  for (let c = s.charCodeAt(end - 1); c === 32 || c === 9; c = s.charCodeAt(end - 1)) end--;
  return end === s.length ? s : s.slice(0, end);
}
