import type { VolatileClass } from './types.ts';
import { builtinPattern } from './shared.ts';

const PREFIXES = ['SEP', 'SVC', 'EXT', 'FW', 'XLB', 'SVL'];
const HASH = '[A-Z2-7]{16}';
const BEFORE = '(?<![\\w-])';
const AFTER = '(?![\\w-])';
const byPrefix = new Map(PREFIXES.map((p) => [p, new RegExp(`${BEFORE}KUBE-${p}-${HASH}${AFTER}`, 'g')]));

const PATTERN = builtinPattern(`${BEFORE}KUBE-(?:${PREFIXES.join('|')})-${HASH}${AFTER}`);

/**
 * kube-proxy's iptables chain names: `KUBE-SEP-FFKEUBR5SKHPYVCQ`, `KUBE-SVC-…`, `KUBE-EXT-…`,
 * `KUBE-FW-…` — a prefix that must match and a 16-character base32 hash. The hash is also bound
 * on its own: a service port's SVC, EXT and FW chains share it, so they are checked together.
 */
export const chainHashClass: VolatileClass = {
  name: 'chain',
  label: 'kube-proxy chain name',
  noun: 'chain',
  pattern: PATTERN,
  bind: true,
  hint: 'KUBE-',
  starts: { pairs: [['K', 'U']], notAfter: '-', test: (line, q) => line.startsWith('KUBE-', q) },
  matcherFor(example) {
    // The word between the first two dashes (`SEP` of `KUBE-SEP-…`), without splitting the token.
    const first = example.indexOf('-');
    const second = first < 0 ? -1 : example.indexOf('-', first + 1);
    const prefix = first < 0 ? '' : second < 0 ? example.slice(first + 1) : example.slice(first + 1, second);
    return byPrefix.get(prefix) ?? PATTERN;
  },
  partsOf(token) {
    return [token.slice(token.lastIndexOf('-') + 1)];
  },
};
