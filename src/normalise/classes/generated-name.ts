import type { VolatileClass } from './types.ts';
import { builtinPattern, escapeRegExp } from './shared.ts';

/**
 * Kubernetes' random alphabet (k8s.io/apimachinery/pkg/util/rand): no vowels, no `0`, `1`, `3`,
 * so generated parts never spell words. Pod suffixes are 5 of these, ReplicaSet
 * (pod-template) hashes 6–10.
 */
export const KUBE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const K = `[${KUBE_ALPHABET}]`;

// Heuristic against false positives (documented in docs and tests): a name is a stem of
// lower-case DNS words, then `-<hash>-<suffix>` (Deployment pod), `-<hash>` (ReplicaSet) or
// `-<suffix>` (DaemonSet/Job pod), where at least one generated part holds a digit. Ordinary
// words rarely lack vowels, and a digit is required, so `kube-system`, `cilium-linux-amd64` or
// `ip-172-31-24-84` are never names. A suffix without a digit is accepted only after a hash
// (`website-5746f499f-qzjjq`): the hash is the recognisable stem pattern. The stem is lazy, so
// `cilium-operator-6d86df4fc8-g2z66` splits at the first dash where the generated tail fits.
const STEM = '[a-z0-9]+(?:-[a-z0-9]+)*?';
const HASH_WITH_DIGIT = `(?=${K}{0,9}\\d)${K}{6,10}`;
const SUFFIX_WITH_DIGIT = `(?=${K}{0,4}\\d)${K}{5}`;
const TAIL = `(?:${HASH_WITH_DIGIT}-${K}{5}|${K}{6,10}-${SUFFIX_WITH_DIGIT}|${HASH_WITH_DIGIT}|${SUFFIX_WITH_DIGIT})`;
const BEFORE = '(?=[a-z0-9])(?<![\\w.-])';
const AFTER = '(?![\\w-])';
// A ReplicaSet hash alone, as a label value: `pod-template-hash=5746f499f`.
const LABEL_HASH = `(?<=pod-template-hash=)${K}{6,10}`;

// The same alternatives as TAIL, anchored and captured: 1 stem; 2-3, 4-5 hash and suffix; 6 hash; 7 suffix.
const SPLIT = new RegExp(
  `^(${STEM})-(?:(?=${K}{0,9}\\d)(${K}{6,10})-(${K}{5})|(${K}{6,10})-(?=${K}{0,4}\\d)(${K}{5})|(?=${K}{0,9}\\d)(${K}{6,10})|(?=${K}{0,4}\\d)(${K}{5}))$`,
);

interface NameParts {
  /** Empty for a ReplicaSet hash found alone (`pod-template-hash=…`). */
  stem: string;
  hash?: string;
  suffix?: string;
}

/** Splits a generated name into stem, ReplicaSet hash and pod suffix, the way the pattern split it. */
export function splitGeneratedName(token: string): NameParts | undefined {
  if (!token.includes('-')) return { stem: '', hash: token };
  const m = SPLIT.exec(token);
  if (!m) return undefined;
  return { stem: m[1]!, hash: m[2] ?? m[4] ?? m[6], suffix: m[3] ?? m[5] ?? m[7] };
}

const matchers = new Map<string, RegExp>();

const PATTERN = builtinPattern(`${BEFORE}(?:${STEM}-${TAIL}|${LABEL_HASH})${AFTER}`);

/** Generated names: pods, ReplicaSets, and ReplicaSet hashes in labels. */
export const generatedNameClass: VolatileClass = {
  name: 'name',
  label: 'generated name',
  noun: 'object',
  pattern: PATTERN,
  bind: true,
  hint: '-',
  matcherFor(example) {
    const parts = splitGeneratedName(example);
    if (!parts) return PATTERN;
    const shape = `${parts.hash ? `${K}{6,10}` : ''}${parts.hash && parts.suffix ? '-' : ''}${parts.suffix ? `${K}{5}` : ''}`;
    const source = parts.stem ? `${BEFORE}${escapeRegExp(parts.stem)}-${shape}${AFTER}` : `${shape}${AFTER}`;
    let re = matchers.get(source);
    if (!re) {
      // The cache only grows with the distinct stems of a lab's pages: a few dozen.
      re = new RegExp(source, 'g');
      matchers.set(source, re);
    }
    return re;
  },
  partsOf(token) {
    const parts = splitGeneratedName(token);
    return parts?.stem && parts.hash ? [parts.hash] : [];
  },
};
