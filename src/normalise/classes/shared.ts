/** One IPv4 octet, 0–255, without leading zeros (so `2.4.65` or `010` are not mistaken for parts). */
export const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

/** Whether `s` holds at least `n` colons (a hint for IPv6 and MAC addresses). */
export function hasColons(s: string, n: number): boolean {
  for (let i = s.indexOf(':'); i >= 0; i = s.indexOf(':', i + 1)) if (--n === 0) return true;
  return false;
}

/** Escapes a string for use inside a RegExp source. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a built-in class pattern: always global so the tokenizer can scan with `lastIndex`. */
export function builtinPattern(source: string): RegExp {
  return new RegExp(source, 'g');
}

/**
 * The parts of a token that has none: one shared frozen list, since `partsOf` runs for every token
 * the tokenizer and the matcher see.
 */
export const NO_PARTS: readonly string[] = Object.freeze([]);

/** `0`–`9`. */
export const DIGITS = '0123456789';
/** `0`–`9`, `a`–`f`, `A`–`F`. */
export const HEX_DIGITS = '0123456789abcdefABCDEF';
/** `a`–`z`. */
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** The offset after the digits starting at `q`. */
export function skipDigits(line: string, q: number): number {
  while (isDigit(line.charCodeAt(q))) q++;
  return q;
}

/** How many hex digits start at `q`, counting up to `max`. */
export function countHexDigits(line: string, q: number, max: number): number {
  let n = 0;
  while (n < max && isHexDigit(line.charCodeAt(q + n))) n++;
  return n;
}
