import type { VolatileClass } from './types.ts';
import { builtinPattern, DIGITS, escapeRegExp, LOWER, NO_PARTS } from './shared.ts';

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

interface NameParts {
  /** Empty for a ReplicaSet hash found alone (`pod-template-hash=…`). */
  stem: string;
  hash?: string;
  suffix?: string;
}

/**
 * Splits a generated name into stem, ReplicaSet hash and pod suffix, the way the pattern split it
 * (`TAIL` anchored, written out by hand in `nameForm`: it runs for every name a match binds).
 */
export function splitGeneratedName(token: string): NameParts | undefined {
  const form = nameForm(token);
  if (form < 0) return undefined;
  if (lastDash < 0) return { stem: '', hash: token };
  const stem = token.slice(0, stemEnd);
  if (form === 3) return { stem, hash: token.slice(stemEnd + 1, lastDash), suffix: token.slice(lastDash + 1) };
  const tail = token.slice(lastDash + 1);
  return form === 1 ? { stem, hash: tail, suffix: undefined } : { stem, hash: undefined, suffix: tail };
}

/**
 * The ReplicaSet hash of a name with a stem (`5746f499f` of `website-5746f499f-qzjjq`), or
 * undefined: what `splitGeneratedName` gives as `hash` when its `stem` is not empty, without
 * building the parts (it runs for every name a match binds).
 */
export function replicaSetHashOf(token: string): string | undefined {
  const form = nameForm(token);
  if (form === 3) return token.slice(stemEnd + 1, lastDash);
  return form === 1 && lastDash > 0 ? token.slice(lastDash + 1) : undefined;
}

/** Whether `token[0, end)` is a stem: lower-case words and digits joined by single dashes. */
function isStem(token: string, end: number): boolean {
  let wordStart = true;
  for (let i = 0; i < end; i++) {
    const c = token.charCodeAt(i);
    if (c === 45) {
      if (wordStart) return false;
      wordStart = true;
    } else if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      wordStart = false;
    } else {
      return false;
    }
  }
  return !wordStart;
}

/** Kubernetes' random alphabet by character code. */
const IN_ALPHABET = new Uint8Array(128);
for (const ch of KUBE_ALPHABET) IN_ALPHABET[ch.charCodeAt(0)] = 1;

/** Whether `token[from, to)` is `min`–`max` characters of the random alphabet. */
function isGenerated(token: string, from: number, to: number, min: number, max: number): boolean {
  if (to - from < min || to - from > max) return false;
  for (let i = from; i < to; i++) if (IN_ALPHABET[token.charCodeAt(i)] !== 1) return false;
  return true;
}

function hasDigit(token: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** Where the stem of the last name `nameForm` split ends (0: no stem), and its last dash (-1: none). */
let stemEnd = 0;
let lastDash = -1;

/**
 * The form of a generated name (1: a hash, 2: a suffix, 3: both; 0: the empty text; -1: not a
 * name), setting `stemEnd` and `lastDash`, without making the parts: the generated tail is
 * one or two words of the random alphabet, and the stem is lazy, so the tail is tried as
 * `<hash>-<suffix>` first (at least one of the two holding a digit), then as a hash or a suffix
 * alone (with a digit).
 */
export function nameForm(token: string): number {
  const last = token.lastIndexOf('-');
  lastDash = last;
  if (last < 0) {
    // A hash alone (an empty text has no parts at all: form 0).
    stemEnd = 0;
    return token.length > 0 ? 1 : 0;
  }
  const n = token.length;
  const prev = token.lastIndexOf('-', last - 1);
  if (prev > 0 && isStem(token, prev) && isGenerated(token, prev + 1, last, 6, 10) && isGenerated(token, last + 1, n, 5, 5) && (hasDigit(token, prev + 1, last) || hasDigit(token, last + 1, n))) {
    stemEnd = prev;
    return 3;
  }
  if (last > 0 && isStem(token, last) && hasDigit(token, last + 1, n)) {
    stemEnd = last;
    if (isGenerated(token, last + 1, n, 6, 10)) return 1;
    if (isGenerated(token, last + 1, n, 5, 5)) return 2;
  }
  return -1;
}

/** The stem `matcherFor` looked up last, and its matchers. */
let lastStem = '';
let lastForms: RegExp[] = [];

/** Matchers by stem, then by form (1: hash, 2: suffix, 3: both). */
const matchers = new Map<string, RegExp[]>([[lastStem, lastForms]]);

/** The pattern of names with `stem` and the same generated parts (a stem of `''`: a label's hash alone). */
function matcherOf(stem: string, form: number): RegExp {
  const shape = `${form & 1 ? `${K}{6,10}` : ''}${form === 3 ? '-' : ''}${form & 2 ? `${K}{5}` : ''}`;
  return new RegExp(stem ? `${BEFORE}${escapeRegExp(stem)}-${shape}${AFTER}` : `${shape}${AFTER}`, 'g');
}

const PATTERN = builtinPattern(`${BEFORE}(?:${STEM}-${TAIL}|${LABEL_HASH})${AFTER}`);

/** Generated names: pods, ReplicaSets, and ReplicaSet hashes in labels. */
export const generatedNameClass: VolatileClass = {
  name: 'name',
  label: 'generated name',
  noun: 'object',
  pattern: PATTERN,
  bind: true,
  hint: '-',
  starts: { pairs: [[LOWER + DIGITS, LOWER + DIGITS + '-']], notAfter: '.-', test: startsLikeName },
  matcherFor(example) {
    const form = nameForm(example);
    if (form < 0) return PATTERN;
    // The stem of the last name asked about is looked up without slicing it again: a listing's
    // names mostly share a few stems (this runs for every name of a large output).
    let forms: RegExp[];
    if (stemEnd === lastStem.length && example.startsWith(lastStem)) {
      forms = lastForms;
    } else {
      const stem = example.slice(0, stemEnd);
      // The cache only grows with the distinct stems of a lab's pages: a few dozen.
      let known = matchers.get(stem);
      if (!known) matchers.set(stem, (known = []));
      lastStem = stem;
      lastForms = forms = known;
    }
    return (forms[form] ??= matcherOf(lastStem, form));
  },
  partsOf(token) {
    const hash = replicaSetHashOf(token);
    return hash === undefined ? NO_PARTS : [hash];
  },
};

const LABEL_KEY = 'pod-template-hash=';

/** A stem word and a dash, or a value right after `pod-template-hash=`. */
function startsLikeName(line: string, q: number): boolean {
  let i = q + 1;
  for (let c = line.charCodeAt(i); (c >= 97 && c <= 122) || (c >= 48 && c <= 57); c = line.charCodeAt(++i));
  return line.charCodeAt(i) === 45 || (q >= LABEL_KEY.length && line.startsWith(LABEL_KEY, q - LABEL_KEY.length));
}
