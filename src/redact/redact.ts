import { SECRET_RULES } from './patterns.ts';

/** What replaces a secret. */
export const REDACTED = '[REDACTED]';

/** A secret found in a text: where it is and what kind of rule found it. */
export interface FoundSecret {
  kind: string;
  /** Offset of the secret (without its context) and the secret itself. */
  index: number;
  value: string;
}

/** Every secret the rules recognise in `text`, in order, without overlaps. */
export function findSecrets(text: string): FoundSecret[] {
  return scan(text, true);
}

/**
 * {@link findSecrets} without the rules' `needs` pre-tests: every rule's pattern runs over the
 * whole text. Slower, and the reference the fast path is tested against.
 */
export function findSecretsUnfiltered(text: string): FoundSecret[] {
  return scan(text, false);
}

/**
 * One test that every text passing some rule's `needs` passes: the rules' regular expressions
 * joined into one (letter case ignored, which only widens it) and the tests that are not
 * regular expressions. A short text failing it skips the rules one by one: most console lines,
 * commands, one-line outputs and bound values. On a long text the joined expression costs about
 * what the separate ones do, so those go straight to the rules.
 */
export const NEEDS_ANY: { test(text: string): boolean } = (() => {
  const regexes = SECRET_RULES.map((r) => r.needs).filter((n): n is RegExp => n instanceof RegExp);
  const others = SECRET_RULES.map((r) => r.needs).filter((n) => !(n instanceof RegExp));
  const joined = new RegExp(regexes.map((n) => `(?:${n.source})`).join('|'), 'i');
  // A plain loop: a callback would be a new closure for every text tested.
  return {
    test: (text: string) => {
      if (joined.test(text)) return true;
      for (let i = 0; i < others.length; i++) if (others[i]!.test(text)) return true;
      return false;
    },
  };
})();

/** What a text without secrets holds. */
const NONE: readonly FoundSecret[] = Object.freeze([]);

/** Texts up to this long are tried against {@link NEEDS_ANY} first. */
const NEEDS_ANY_MAX = 4096;

function scan(text: string, prefilter: boolean): FoundSecret[] {
  if (prefilter && text.length <= NEEDS_ANY_MAX && !NEEDS_ANY.test(text)) return [];
  let found: FoundSecret[] | undefined;
  for (const rule of SECRET_RULES) {
    if (prefilter && !rule.needs.test(text)) continue;
    for (const m of text.matchAll(rule.pattern)) {
      const value = m.groups?.secret;
      if (!value || value.trim() === '' || value.startsWith(REDACTED)) continue;
      if (rule.accept && !rule.accept(value)) continue;
      const index = m.index + m[0].lastIndexOf(value);
      (found ??= []).push({ kind: rule.kind, index, value });
    }
  }
  if (found === undefined) return [];
  found.sort((a, b) => a.index - b.index || b.value.length - a.value.length);
  const out: FoundSecret[] = [];
  let end = -1;
  for (const f of found) {
    if (f.index < end) continue; // inside a secret already found (e.g. a JWT after `Bearer `)
    out.push(f);
    end = f.index + f.value.length;
  }
  return out;
}

/** Replaces every secret the rules recognise with {@link REDACTED}, keeping its context. Idempotent. */
export function redactSecrets(text: string): string {
  return replaceFound(text, findSecrets(text));
}

/** `text` with each of `found` (in order, without overlaps) replaced by {@link REDACTED}. */
function replaceFound(text: string, found: readonly FoundSecret[]): string {
  if (found.length === 0) return text;
  let out = '';
  let at = 0;
  for (const f of found) {
    out += text.slice(at, f.index) + REDACTED;
    at = f.index + f.value.length;
  }
  return out + text.slice(at);
}

/** Shortest value {@link Redactor.learn} accepts: shorter ones would blank out ordinary words. */
const MIN_KNOWN = 6;

/**
 * How many characters of text a {@link Redactor} remembers the rules' findings for. A run reads
 * each text several times (learning, the console line, the records, the reports); the texts
 * are held by the run's results anyway, so remembering them costs the map, not their copies.
 */
const MEMO_CHARS = 16 * 1024 * 1024;

/**
 * Redacts by pattern and by value: values learned as secret (a token a lab bound, a secret
 * found earlier in the run) are replaced wherever they appear again, even where no rule would
 * recognise them (`curl -H "X-Key: $TOKEN"` after substitution, a binding note).
 */
export class Redactor {
  private readonly known = new Set<string>();
  private ordered: string[] | undefined;
  /** Text → what the rules find in it (a pure function of the text, so never stale). */
  private readonly memo = new Map<string, readonly FoundSecret[]>();
  private memoChars = 0;

  /**
   * What the rules find in `text`; with `remember`, kept for the next time the same text comes
   * by. Texts learned from (a run's commands, outputs, values) are read again when they are
   * redacted; a text only redacted (a console line) is new every time, so it is not kept.
   */
  private find(text: string, remember: boolean): readonly FoundSecret[] {
    // A short text without any rule's piece is answered as fast as the memo would, and is
    // then not worth keeping: a 1.5-million-line output would otherwise fill the memo with its
    // lines (seconds of hashing and hundreds of megabytes).
    if (text.length <= NEEDS_ANY_MAX && !NEEDS_ANY.test(text)) return NONE;
    const hit = this.memo.get(text);
    if (hit) return hit;
    const found = findSecrets(text);
    if (remember && text.length <= MEMO_CHARS) {
      if (this.memoChars + text.length > MEMO_CHARS) {
        this.memo.clear();
        this.memoChars = 0;
      }
      this.memo.set(text, found);
      this.memoChars += text.length;
    }
    return found;
  }

  /** Remembers `value` as a secret. Returns whether it was accepted (long enough, not a marker). */
  learn(value: string): boolean {
    const v = value.trim();
    if (v.length < MIN_KNOWN || v.includes(REDACTED)) return false;
    if (!this.known.has(v)) {
      this.known.add(v);
      this.ordered = undefined;
    }
    return true;
  }

  /** Learns every secret the rules find in `text`. */
  learnFrom(text: string): void {
    const found = this.find(text, true);
    for (let i = 0; i < found.length; i++) this.learn(found[i]!.value);
  }

  /** Whether `value` is, contains or is part of a secret this redactor knows or a rule finds. */
  isSecret(value: string): boolean {
    if (this.find(value, true).length > 0) return true;
    const v = value.trim();
    if (v.length < MIN_KNOWN) return false;
    for (const k of this.known) if (k.includes(v) || v.includes(k)) return true;
    return false;
  }

  /** `text` with every rule's secret and every learned value replaced. */
  redact(text: string): string {
    let out = replaceFound(text, this.find(text, false));
    if (this.known.size === 0) return out;
    this.ordered ??= [...this.known].sort((a, b) => b.length - a.length);
    for (const v of this.ordered) if (out.includes(v)) out = out.replaceAll(v, REDACTED);
    return out;
  }
}
