import type { VolatileClass } from './types.ts';
import { builtinPattern, countHexDigits, hasColons, HEX_DIGITS, NO_PARTS, OCTET } from './shared.ts';

const H = '[0-9a-fA-F]{1,4}';
const V4 = `${OCTET}(?:\\.${OCTET}){3}`;
// Every compressed form spelled out with bounded repeats (the usual exhaustive alternation), so
// one attempt reads at most ~45 characters. A bare `::` is not an address; nor is `11:15:04`
// (a time has neither eight groups nor `::`), nor a MAC (six groups).
const ADDRESS = [
  `(?:${H}:){7}${H}`,
  `(?:${H}:){1,4}:${V4}`,
  `::(?:[fF]{4}(?::0{1,4})?:)?${V4}`,
  `(?:${H}:){1,6}:${H}`,
  `(?:${H}:){1,5}(?::${H}){1,2}`,
  `(?:${H}:){1,4}(?::${H}){1,3}`,
  `(?:${H}:){1,3}(?::${H}){1,4}`,
  `(?:${H}:){1,2}(?::${H}){1,5}`,
  `${H}:(?::${H}){1,6}`,
  `:(?::${H}){1,7}`,
  `(?:${H}:){1,7}:`,
].join('|');
const PREFIX = '\\/(?:12[0-8]|1[01]\\d|[1-9]?\\d)';
const BEFORE = '(?=[0-9a-fA-F:[])(?<![\\w:.])';
const AFTER = '(?![\\w:]|\\.\\d)';
const SOURCE = `${BEFORE}(?:\\[(?:${ADDRESS})\\](?::\\d{1,5})?|(?:${ADDRESS})(?:${PREFIX})?)${AFTER}`;
// An address keeps its shape: bracketed (with or without a port), with a prefix, or bare.
const bracketed = new RegExp(`${BEFORE}\\[(?:${ADDRESS})\\]${AFTER}`, 'g');
const bracketedPort = new RegExp(`${BEFORE}\\[(?:${ADDRESS})\\]:\\d{1,5}${AFTER}`, 'g');
const withPrefix = new RegExp(`${BEFORE}(?:${ADDRESS})${PREFIX}${AFTER}`, 'g');
const bare = new RegExp(`${BEFORE}(?:${ADDRESS})${AFTER}`, 'g');

/** IPv6 addresses, `fe80::1/64`, `::1/128`, `fd00:10:244::5`, `[fd00::1]:53`. */
export const ipv6Class: VolatileClass = {
  name: 'ipv6',
  label: 'IPv6 address',
  noun: 'address',
  pattern: builtinPattern(SOURCE),
  bind: true,
  // Every form has `::` or seven colons.
  hint: (line) => line.includes('::') || hasColons(line, 7),
  // `[`, or up to four hex digits and a colon.
  starts: {
    pairs: [[HEX_DIGITS, HEX_DIGITS + ':'], [':', ':'], ['[', HEX_DIGITS + ':']],
    notAfter: ':.',
    test: (line, q) => line.charCodeAt(q) === 91 || line.charCodeAt(q + countHexDigits(line, q, 4)) === 58,
  },
  matcherFor: (example) => (example.startsWith('[') ? (example.endsWith(']') ? bracketed : bracketedPort) : example.includes('/') ? withPrefix : bare),
  partsOf(token) {
    const address = token.startsWith('[') ? token.slice(1, token.indexOf(']')) : token.split('/')[0]!;
    return address === token ? NO_PARTS : [address];
  },
};
