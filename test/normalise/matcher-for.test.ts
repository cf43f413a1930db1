import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGE_FORMS, ageClass } from '../../src/normalise/classes/age.ts';
import { generatedNameClass, KUBE_ALPHABET, splitGeneratedName } from '../../src/normalise/classes/generated-name.ts';
import { tokenizeLine } from '../../src/normalise/tokenize.ts';
import { fixtureLines, lineArb } from './corpus.ts';
import { contextOf } from './fixtures.ts';

// `matcherFor` runs for every token a match compiles, so the age and name classes answer it
// without trying every form or making a name's parts. These tests hold the fast answers to the
// plain ones: the first form whose whole pattern matches, and the matcher of the name's stem and
// form as `splitGeneratedName` splits it.

/** The form of an age as every form is tried in order (-1: none). */
function ageFormReference(example: string): number {
  return AGE_FORMS.findIndex((f) => new RegExp(`^(?:${f})$`).test(example));
}

/** The age matchers, by form: `matcherFor` of one example of each form. */
const AGE_EXAMPLES = ['2 (5m22s ago)', '0.079/0.261/0.502 ms', '0.5 ms', '4m29s'];
const ageMatchers = AGE_EXAMPLES.map((e) => ageClass.matcherFor!(e));

/** What `generatedNameClass.matcherFor` answered before: split the name, then the stem's matcher for its form. */
function nameMatcherSourceReference(example: string): string {
  const parts = splitGeneratedName(example);
  if (!parts) return generatedNameClass.pattern.source;
  const K = `[${KUBE_ALPHABET}]`;
  const form = (parts.hash ? 1 : 0) + (parts.suffix ? 2 : 0);
  const shape = `${form & 1 ? `${K}{6,10}` : ''}${form === 3 ? '-' : ''}${form & 2 ? `${K}{5}` : ''}`;
  const escaped = parts.stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(parts.stem ? `(?=[a-z0-9])(?<![\\w.-])${escaped}-${shape}(?![\\w-])` : `${shape}(?![\\w-])`, 'g').source;
}

const ctx = contextOf();
/** Tokens the tokenizer finds in a line, and every word-ish piece of it (near misses too). */
function candidates(line: string): string[] {
  const out = tokenizeLine(line, ctx).map((t) => t.text);
  out.push(...(line.match(/[\w.:/() -]+/g) ?? []), ...line.split(/\s+/));
  return out;
}

const NAME_PIECE = fc.oneof(
  fc.string({ unit: fc.constantFrom(...`${KUBE_ALPHABET}aeio013-`), maxLength: 12 }),
  fc.constantFrom('web', 'website', 'kube-proxy', 'cilium', 'ip-172-31', 'a', '-', '2bcdf'),
);
const nameArb = fc.array(NAME_PIECE, { maxLength: 4 }).map((p) => p.join('-'));

describe('matcherFor answers as trying every form does', () => {
  it('age: the four forms are told apart by their examples', () => {
    expect(new Set(ageMatchers).size).toBe(4);
    AGE_EXAMPLES.forEach((e, k) => expect(ageFormReference(e)).toBe(k));
  });

  const checkAge = (example: string) => {
    const k = ageFormReference(example);
    expect(ageClass.matcherFor!(example), example).toBe(k < 0 ? ageClass.pattern : ageMatchers[k]);
  };

  it('age: on every token and piece of the fixtures', () => {
    for (const line of fixtureLines()) for (const c of candidates(line)) checkAge(c);
  });

  it('age: on generated text', () => {
    fc.assert(fc.property(lineArb, (line) => candidates(line).forEach(checkAge)), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'0123456789.ydhmsunµ/ ()ago'), maxLength: 16 }), checkAge), { numRuns: 2000 });
    // Numbers joined by the pieces the forms are made of, so every form turns up.
    const number = fc.tuple(fc.nat(999), fc.option(fc.nat(99))).map(([i, f]) => (f === null ? `${i}` : `${i}.${f}`));
    const joint = fc.constantFrom('/', ' ', '', 'm', 's', 'ms', ' ms', 'h', 'd', 'y', 'µs', ' (', 's ago)', 'm ago)', ')');
    const ageArb = fc.array(fc.tuple(number, joint), { minLength: 1, maxLength: 5 }).map((ps) => ps.map(([n, j]) => n + j).join(''));
    fc.assert(fc.property(ageArb, checkAge), { numRuns: 3000 });
  });

  it('age: ping summaries with and without the space before ms', () => {
    for (const e of ['0.079/0.261/0.502 ms', '0.079/0.261/0.502ms', '1/2/3ms', '1/2/3/4 ms', '1/2ms', '5 (3m ago)', '5 ms', '5ms', '2y3d4h5m6.5s']) checkAge(e);
    expect(ageClass.matcherFor!('1/2/3ms')).toBe(ageMatchers[1]);
  });

  const checkName = (example: string) => expect(generatedNameClass.matcherFor!(example).source, example).toBe(nameMatcherSourceReference(example));

  it('name: on every token and piece of the fixtures', () => {
    for (const line of fixtureLines()) for (const c of candidates(line)) checkName(c);
  });

  it('name: on generated names, stems changing and repeating', () => {
    fc.assert(fc.property(fc.array(nameArb, { minLength: 1, maxLength: 8 }), (names) => names.forEach(checkName)), { numRuns: 1000 });
  });

  it('name: a name whose stem is another name stem plus more is not given the shorter stem', () => {
    checkName('web-2bcdf-x7b9k');
    checkName('web-api-2bcdf-x7b9k');
    checkName('web-2bcdf-x7b9k');
    checkName('webx-2bcdf4');
    checkName('we-2bcdf4');
    expect(generatedNameClass.matcherFor!('web-api-5746f499f-qzjjq').test('web-5746f499f-qzjjq')).toBe(false);
  });
});
