import type { VolatileClass } from './types.ts';
import { builtinPattern, countHexDigits, HEX_DIGITS } from './shared.ts';

const FORMS = [
  // Image and content digests: `sha256:d9d4c775…`.
  '(?:sha1|sha256|sha384|sha512|md5):[0-9a-f]{12,}',
  // Object UIDs: `8b1b7c6e-3f0a-4e8e-9d2c-5b8a1f0e7d3c`.
  '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
  // Bare hex of 12+ digits (container ids, commits). At least one decimal digit, so a long
  // all-letter word like `deadbeefcafe` stays literal.
  '(?=[a-f]*\\d)[0-9a-f]{12,}',
  '(?=[A-F]*\\d)[0-9A-F]{12,}',
];

/** Digests, hashes and UIDs. */
export const digestClass: VolatileClass = {
  name: 'digest',
  label: 'digest or hash',
  noun: 'digest',
  pattern: builtinPattern(`(?=[0-9a-fA-Fms])(?<![\\w])(?:${FORMS.join('|')})(?![\\w])`),
  bind: true,
  starts: { pairs: [[HEX_DIGITS, HEX_DIGITS], ['s', 'h'], ['m', 'd']], test: startsLikeDigest },
  matcherFor: shapeOfDigest,
};

const shapes = new Map<string, RegExp>();

/**
 * A digest keeps its shape: the same algorithm prefix, the same number of digits and the same
 * alphabet (lower- or upper-case hex), so a 12-digit short id never stands for a 64-digit digest.
 */
function shapeOfDigest(example: string): RegExp {
  let re = shapes.get(example);
  if (re) return re;
  const colon = example.indexOf(':');
  const prefix = colon > 0 ? example.slice(0, colon + 1) : '';
  const body = example.slice(prefix.length);
  const hex = /[A-F]/.test(body) ? '[0-9A-F]' : '[0-9a-f]';
  const shape = body.includes('-') ? body.split('-').map((g) => `${hex}{${g.length}}`).join('-') : `${hex}{${body.length}}`;
  re = new RegExp(`(?<![\\w])${prefix}${shape}(?![\\w])`, 'g');
  shapes.set(example, re);
  return re;
}

/** An algorithm name, or a run of at least 8 hex digits (a UID's first group, or 12+ digits). */
function startsLikeDigest(line: string, q: number): boolean {
  const c = line.charCodeAt(q);
  if (c === 115) return line.startsWith('sha', q);
  if (c === 109) return line.startsWith('md5:', q);
  return countHexDigits(line, q, 8) === 8;
}
