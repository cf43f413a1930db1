import type { VolatileClass } from './types.ts';
import { builtinPattern, DIGITS, isDigit, NO_PARTS, OCTET } from './shared.ts';

// Four octets with an optional `:port` or `/prefix`. The look-behind keeps a token from starting
// inside a word, a dotted run or `ip-172-…`; the look-ahead keeps `1.2.3.4.5` and `10.0.0.1a` out.
// A colon before is allowed (`to:10.0.0.1:80` in iptables output).
const ADDRESS = `${OCTET}(?:\\.${OCTET}){3}`;
const PORT = ':\\d{1,5}';
const PREFIX = '\\/(?:3[0-2]|[12]?\\d)';
const END = '(?![\\w]|[.:/]\\d)';
const DOTTED = `${ADDRESS}(?:${PORT}|${PREFIX})?${END}`;
// The dashed form a pod's IP takes in DNS names (`10-0-0-12.headlesswebsite…`), bound together
// with the dotted address so an SRV answer is checked against the pod's IP.
const DASHED = `${OCTET}(?:-${OCTET}){3}(?=\\.[a-z])`;
// `(?=\d)` first lets the regex engine skip non-digits quickly before the look-behind.
const BEFORE = '(?=\\d)(?<![\\w.-])';

const dashed = new RegExp(`${BEFORE}${DASHED}`, 'g');
// An address keeps its shape: with a port only for one with a port, with a prefix only for one with a prefix.
const bare = new RegExp(`${BEFORE}${ADDRESS}${END}`, 'g');
const withPort = new RegExp(`${BEFORE}${ADDRESS}${PORT}${END}`, 'g');
const withPrefix = new RegExp(`${BEFORE}${ADDRESS}${PREFIX}${END}`, 'g');

/** IPv4 addresses, `10.0.0.128`, `10.96.0.10:53`, `10.0.0.0/8`, and `10-0-0-12.` in DNS names. */
export const ipv4Class: VolatileClass = {
  name: 'ipv4',
  label: 'IP address',
  noun: 'address',
  pattern: builtinPattern(`${BEFORE}(?:${DOTTED}|${DASHED})`),
  bind: true,
  hint: /\d[.-]\d/,
  starts: { pairs: [[DIGITS, DIGITS + '.-']], notAfter: '.-', test: startsLikeIpv4 },
  matcherFor: (example) => (isDashed(example) ? dashed : example.includes('/') ? withPrefix : example.includes(':') ? withPort : bare),
  partsOf(token) {
    if (isDashed(token)) return [token.replaceAll('-', '.')];
    // The address before a `:port` or `/prefix`.
    let end = 0;
    for (let c = token.charCodeAt(0); isDigit(c) || c === 46; c = token.charCodeAt(++end));
    return end === 0 || end === token.length ? NO_PARTS : [token.slice(0, end)];
  },
};

function isDashed(token: string): boolean {
  return token.includes('-');
}

/** One to three digits, then a dot or (in DNS names) a dash. */
function startsLikeIpv4(line: string, q: number): boolean {
  let i = q + 1;
  if (isDigit(line.charCodeAt(i))) i++;
  if (isDigit(line.charCodeAt(i))) i++;
  const c = line.charCodeAt(i);
  return c === 46 || c === 45;
}
