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
  const found: FoundSecret[] = [];
  for (const rule of SECRET_RULES) {
    for (const m of text.matchAll(rule.pattern)) {
      const value = m.groups?.secret;
      if (!value || value.trim() === '' || value.startsWith(REDACTED)) continue;
      if (rule.accept && !rule.accept(value)) continue;
      const index = m.index + m[0].lastIndexOf(value);
      found.push({ kind: rule.kind, index, value });
    }
  }
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
  const found = findSecrets(text);
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
 * Redacts by pattern and by value: values learned as secret (a token a lab bound, a secret
 * found earlier in the run) are replaced wherever they appear again, even where no rule would
 * recognise them (`curl -H "X-Key: $TOKEN"` after substitution, a binding note).
 */
export class Redactor {
  private readonly known = new Set<string>();
  private ordered: string[] | undefined;

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
    for (const f of findSecrets(text)) this.learn(f.value);
  }

  /** Whether `value` is, contains or is part of a secret this redactor knows or a rule finds. */
  isSecret(value: string): boolean {
    if (findSecrets(value).length > 0) return true;
    const v = value.trim();
    if (v.length < MIN_KNOWN) return false;
    for (const k of this.known) if (k.includes(v) || v.includes(k)) return true;
    return false;
  }

  /** `text` with every rule's secret and every learned value replaced. */
  redact(text: string): string {
    let out = redactSecrets(text);
    if (this.known.size === 0) return out;
    this.ordered ??= [...this.known].sort((a, b) => b.length - a.length);
    for (const v of this.ordered) if (out.includes(v)) out = out.replaceAll(v, REDACTED);
    return out;
  }
}
