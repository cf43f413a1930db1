import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECRET_RULES } from '../../src/redact/patterns.ts';
import { findSecrets, findSecretsUnfiltered, NEEDS_ANY, Redactor, REDACTED } from '../../src/redact/redact.ts';
import { PLANTED } from './planted.ts';

// Each rule's `needs` lets the scanner skip the rule's pattern on a text that fails it. A missed
// secret is as bad as a false pass, so the fast path must find exactly what running every
// pattern over every text finds. The texts below are built from the pieces the rules look for
// (in every letter case), runs of the rules' characters around their length limits, and noise,
// so that matches, near misses and overlaps all come up.

const chars = (ranges: string) => ranges.replace(/(.)-(.)/g, (_, a: string, b: string) => Array.from({ length: b.charCodeAt(0) - a.charCodeAt(0) + 1 }, (_, k) => String.fromCharCode(a.charCodeAt(0) + k)).join(''));
const ALNUM = chars('A-Za-z0-9');
const LOWER = chars('a-z0-9');
const UPPER = chars('A-Z0-9');
const B64 = `${ALNUM}/+`;
const URL64 = `${ALNUM}_-`;
const HEX = chars('0-9a-f');
const TOKEN = `${ALNUM}._~+/=-`;
const NOISE = `${ALNUM} \t\n.:=,;"'{}$%<>@/_-+[]\\`;

const run = (alphabet: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(''));
/** `word` with each letter in either case (the `i` rules must be tested against their `i` hints). */
const anyCase = (word: string) =>
  fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((up) => [...word].map((c, k) => (up[k] ? c.toUpperCase() : c.toLowerCase())).join(''));
const one = <T,>(...xs: T[]) => fc.constantFrom(...xs);
const cat = (...parts: fc.Arbitrary<string>[]) => fc.tuple(...parts).map((p) => p.join(''));
const lit = (s: string) => fc.constant(s);

const shapes: fc.Arbitrary<string>[] = [
  cat(lit('-----BEGIN '), one('', 'RSA ', 'EC ', 'OPENSSH '), anyCase('PRIVATE KEY'), lit('-----'), one('\n', '\\n', ' '), run(B64, 0, 20), one('\n', '\\n', ''), lit('-----END '), run(UPPER, 0, 3)),
  cat(anyCase('bearer'), anyCase('basic').map(() => ''), one(' ', '  ', '\t', ''), one('', REDACTED), run(TOKEN, 5, 12)),
  cat(anyCase('token'), one(' ', ': ', '='), run(TOKEN, 5, 12)),
  cat(lit('eyJ'), run(URL64, 6, 11), lit('.'), one('eyJ', 'eyj'), run(URL64, 2, 6), lit('.'), run(URL64, 0, 4)),
  cat(lit('gh'), one('p', 'o', 'u', 's', 'r', 'x', 'P'), lit('_'), run(ALNUM, 18, 22)),
  cat(one('github_pat_', 'GITHUB_PAT_'), run(`${ALNUM}_`, 20, 24)),
  cat(lit('glpat-'), run(URL64, 18, 22)),
  cat(lit('xox'), one('a', 'b', 'p', 'o', 's', 'r', 'e', 'x'), lit('-'), run(`${ALNUM}-`, 8, 12)),
  cat(lit('xapp-'), run('0123456789x', 1, 1), lit('-'), run(`${ALNUM}-`, 8, 12)),
  cat(one('hooks.slack.com/services/', 'hooks.slack.com/service/'), run(`${ALNUM}/_-`, 18, 22)),
  cat(one('AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3TX', 'A3T', 'akia'), run(UPPER, 14, 18)),
  cat(lit('AIza'), run(URL64, 33, 37)),
  cat(one('s', 'r', 'p'), lit('k_live_'), run(ALNUM, 14, 18)),
  cat(lit('npm_'), run(ALNUM, 34, 38)),
  cat(run(LOWER, 4, 8), lit('.'), run(LOWER, 14, 18)),
  cat(lit('--discovery-token-ca-cert-hash'), one(' ', '  ', ''), lit('sha256:'), run(HEX, 62, 66)),
  cat(run('abcz+.-', 1, 4), lit('://'), run(ALNUM, 1, 4), lit(':'), one('', REDACTED), run(`${ALNUM}:`, 1, 5), one('@', '')),
  cat(lit('--'), anyCase('password').map(() => ''), one('password', 'PASSWD', 'Token', 'client-secret', 'secret', 'api-key', 'apikey'), one('=', ' ', '  '), one('', '"', "'", '$', '{{', '<a', REDACTED), run(TOKEN, 2, 6)),
  cat(
    run(`${ALNUM}_.-`, 0, 3),
    one('password', 'passwd', 'passphrase', 'secret', 'token', 'api_key', 'api-key', 'apikey', 'access_key', 'private-key', 'client-key-data', 'client-certificate-data', 'credential', 'credentials').chain(anyCase),
    one('', '"', "'"),
    one(':', '=', ' : ', ' '),
    one('', '"', '$', '%', '{{', '<A', REDACTED),
    run(`${TOKEN},;}`, 2, 7),
  ),
  run(B64, 36, 44),
  run(NOISE, 0, 12),
  one(' ', '\n', '\r\n', '', REDACTED),
  fc.constantFrom(...PLANTED.map((p) => p.line)),
];

const textArb = fc.array(fc.oneof(...shapes), { maxLength: 6 }).map((parts) => parts.join(''));

describe('the rules’ pre-tests', () => {
  it('let the scanner find exactly what every pattern over every text finds', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(textArb, (text) => {
        const all = findSecretsUnfiltered(text);
        for (const f of all) kinds.add(f.kind);
        expect(findSecrets(text)).toEqual(all);
      }),
      { numRuns: 20_000 },
    );
    // The texts really reached every rule: otherwise the comparison above proves little.
    expect([...kinds].sort()).toEqual(SECRET_RULES.map((r) => r.kind).sort());
  });

  it('pass every text a rule’s pattern matches, rule by rule', () => {
    const hit = new Set<string>();
    fc.assert(
      fc.property(textArb, (text) => {
        for (const rule of SECRET_RULES) {
          rule.pattern.lastIndex = 0;
          if (!rule.pattern.test(text)) continue;
          rule.pattern.lastIndex = 0;
          hit.add(rule.kind);
          expect(rule.needs.test(text), `${rule.kind} in ${JSON.stringify(text)}`).toBe(true);
        }
      }),
      { numRuns: 20_000 },
    );
    expect([...hit].sort()).toEqual(SECRET_RULES.map((r) => r.kind).sort());
  });

  it('are all passed by the one joined test short texts try first', () => {
    const hit = new Set<string>();
    fc.assert(
      fc.property(textArb, (text) => {
        for (const rule of SECRET_RULES) {
          if (!rule.needs.test(text)) continue;
          hit.add(rule.kind);
          expect(NEEDS_ANY.test(text), `${rule.kind} in ${JSON.stringify(text)}`).toBe(true);
        }
      }),
      { numRuns: 20_000 },
    );
    expect([...hit].sort()).toEqual(SECRET_RULES.map((r) => r.kind).sort());
    expect(NEEDS_ANY.test('  ✓ 01-bench-7 lab/01-bench.mdx:38 0ms')).toBe(false);
  });

  it('still find every planted secret, alone and in the middle of a long ordinary output', () => {
    const filler = Array.from({ length: 2000 }, (_, k) => `pod-${k}   1/1   Running   0   ${k}s   10.244.${k % 250}.${k % 200}`).join('\n');
    for (const p of PLANTED) {
      expect(findSecrets(p.line).map((f) => f.value)).toContain(p.value);
      const text = `${filler}\n${p.line}\n${filler}`;
      expect(findSecrets(text)).toEqual(findSecretsUnfiltered(text));
      expect(findSecrets(text).map((f) => f.value)).toContain(p.value);
    }
  });
});

describe('Redactor remembering what the rules found', () => {
  it('gives the same answer for a text it has seen, and applies values learned since', () => {
    const r = new Redactor();
    const text = 'Authorization: Bearer s3cr3tB3arerT0kenPlanted42 for svc-abcdef123';
    const first = r.redact(text);
    expect(first).toBe(`Authorization: Bearer ${REDACTED} for svc-abcdef123`);
    expect(r.redact(text)).toBe(first);
    expect(r.learn('svc-abcdef123')).toBe(true);
    expect(r.redact(text)).toBe(`Authorization: Bearer ${REDACTED} for ${REDACTED}`);
    expect(r.isSecret(text)).toBe(true);
    expect(r.isSecret('ordinary-value')).toBe(false);
  });

  it('hides the same as the plain scan over many texts, seen once or again', () => {
    const r = new Redactor();
    const plain = (text: string) => {
      let out = '';
      let at = 0;
      for (const f of findSecretsUnfiltered(text)) {
        out += text.slice(at, f.index) + REDACTED;
        at = f.index + f.value.length;
      }
      return out + text.slice(at);
    };
    fc.assert(
      fc.property(textArb, fc.boolean(), (text, twice) => {
        if (twice) r.redact(text);
        expect(r.redact(text)).toBe(plain(text));
        expect(r.isSecret(text)).toBe(findSecretsUnfiltered(text).length > 0);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the same in a text it learned from, clean or not, as the plain scan', () => {
    // A run learns from each result twice (the console as each block ends, then the run as a
    // whole) and redacts the same texts again: the remembered answer must be the plain one.
    const r = new Redactor();
    fc.assert(
      fc.property(fc.array(textArb, { minLength: 1, maxLength: 4 }), (texts) => {
        for (const t of texts) r.learnFrom(t);
        for (const t of texts) {
          const fresh = new Redactor();
          fresh.learnFrom(t);
          fresh.learnFrom(t);
          const found = findSecretsUnfiltered(t).length > 0;
          expect(fresh.isSecret(t)).toBe(found);
          expect(fresh.redact(t).includes(REDACTED)).toBe(found || t.includes(REDACTED));
          if (found) expect(r.isSecret(t)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
