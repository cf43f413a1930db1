import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CLASSES, buildClasses } from '../../src/normalise/classes.ts';
import { KUBE_ALPHABET, replicaSetHashOf, splitGeneratedName } from '../../src/normalise/classes/generated-name.ts';

describe('buildClasses', () => {
  it('puts lab classes first, with defaults for label and bind', () => {
    const classes = buildClasses([{ name: 'sep-chain', pattern: 'KUBE-SEP-[A-Z2-7]{16}' }]);
    expect(classes[0]).toMatchObject({ name: 'sep-chain', label: 'sep chain', bind: true });
    expect(classes.slice(1)).toEqual([...BUILTIN_CLASSES]);
  });

  it('lets a lab class replace a built-in one of the same name', () => {
    const classes = buildClasses([{ name: 'age', pattern: '\\d+ days', label: 'age in days', bind: false }]);
    expect(classes.filter((c) => c.name === 'age')).toHaveLength(1);
    expect(classes[0]!.label).toBe('age in days');
  });

  it('names the class whose pattern does not compile', () => {
    expect(() => buildClasses([{ name: 'broken', pattern: '([a-z' }])).toThrow(/volatile class "broken"/);
  });

  it('never binds ages, durations or timestamps', () => {
    expect(BUILTIN_CLASSES.filter((c) => !c.bind).map((c) => c.name).sort()).toEqual(['age', 'timestamp']);
  });
});

describe('generated names', () => {
  it('split into stem, ReplicaSet hash and pod suffix', () => {
    expect(splitGeneratedName('cilium-operator-6d86df4fc8-g2z66')).toEqual({ stem: 'cilium-operator', hash: '6d86df4fc8', suffix: 'g2z66' });
    expect(splitGeneratedName('meshweb-7cb97cfdd9')).toEqual({ stem: 'meshweb', hash: '7cb97cfdd9', suffix: undefined });
    expect(splitGeneratedName('kube-proxy-929xs')).toEqual({ stem: 'kube-proxy', hash: undefined, suffix: '929xs' });
  });

  it('match the same stem only, with or without a digit in the new suffix', () => {
    const name = BUILTIN_CLASSES.find((c) => c.name === 'name')!;
    const re = new RegExp(name.matcherFor!('website-5746f499f-qzjjq').source, 'y');
    expect(re.test('website-7c9d8b5f4-xkzqv')).toBe(true);
    re.lastIndex = 0;
    expect(re.test('webserver-7c9d8b5f4-xkzqv')).toBe(false);
  });
});

describe('splitGeneratedName', () => {
  // The regex it replaced: the name pattern's tail, anchored, with captures.
  const K = `[${KUBE_ALPHABET}]`;
  const SPLIT = new RegExp(
    `^([a-z0-9]+(?:-[a-z0-9]+)*?)-(?:(?=${K}{0,9}\\d)(${K}{6,10})-(${K}{5})|(${K}{6,10})-(?=${K}{0,4}\\d)(${K}{5})|(?=${K}{0,9}\\d)(${K}{6,10})|(?=${K}{0,4}\\d)(${K}{5}))$`,
  );
  const byRegex = (token: string) => {
    if (!token.includes('-')) return { stem: '', hash: token };
    const m = SPLIT.exec(token);
    return m ? { stem: m[1]!, hash: m[2] ?? m[4] ?? m[6], suffix: m[3] ?? m[5] ?? m[7] } : undefined;
  };
  const word = fc.oneof(
    fc.string({ unit: fc.constantFrom(...KUBE_ALPHABET), minLength: 4, maxLength: 11 }),
    fc.string({ unit: fc.constantFrom(...'bcdfgz2479aeio013-A.'), maxLength: 11 }),
    fc.constantFrom('web', 'cilium', 'kube', 'proxy', '5746f499f', 'qzjjq', 'g2z66', 'bcdfgh', 'bcdfg', ''),
  );

  it('splits like the anchored pattern', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (words) => {
        const token = words.join('-');
        expect(splitGeneratedName(token), token).toStrictEqual(byRegex(token));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('parts without building them twice', () => {
  const word = fc.stringMatching(/^[a-z0-9]{1,6}$/);
  const generated = (min: number, max: number) => fc.array(fc.constantFrom(...KUBE_ALPHABET, 'a', 'e', '0', '1'), { minLength: min - 1, maxLength: max + 1 }).map((cs) => cs.join(''));
  const nameLike = fc.oneof(
    fc.tuple(fc.array(word, { minLength: 0, maxLength: 3 }), generated(6, 10), generated(5, 5)).map(([stem, h, s]) => [...stem, h, s].join('-')),
    fc.tuple(fc.array(word, { minLength: 0, maxLength: 3 }), generated(5, 10)).map(([stem, t]) => [...stem, t].join('-')),
    fc.string({ unit: fc.constantFrom('-', 'a', 'b', '2', '5', 'Z', '.'), maxLength: 24 }),
  );

  it('a name’s ReplicaSet hash part is what splitting the name gives, when it has a stem', () => {
    const name = BUILTIN_CLASSES.find((c) => c.name === 'name')!;
    fc.assert(
      fc.property(nameLike, (token) => {
        const split = splitGeneratedName(token);
        expect(replicaSetHashOf(token)).toBe(split?.stem && split.hash ? split.hash : undefined);
        expect(name.partsOf!(token)).toEqual(split?.stem && split.hash ? [split.hash] : []);
      }),
      { numRuns: 3000 },
    );
    expect(replicaSetHashOf('website-5746f499f-qzjjq')).toBe('5746f499f');
    expect(replicaSetHashOf('website-5746f499f')).toBe('5746f499f');
    expect(replicaSetHashOf('cilium-5gp4t')).toBeUndefined();
    expect(replicaSetHashOf('5746f499f')).toBeUndefined();
  });

  it('a chain keeps its prefix: a SEP chain never stands for an SVC chain', () => {
    const chain = BUILTIN_CLASSES.find((c) => c.name === 'chain')!;
    const sep = chain.matcherFor!('KUBE-SEP-FFKEUBR5SKHPYVCQ');
    expect(new RegExp(sep.source, 'y').test('KUBE-SEP-ABCDEFGHIJKLMNOP')).toBe(true);
    expect(new RegExp(sep.source, 'y').test('KUBE-SVC-ABCDEFGHIJKLMNOP')).toBe(false);
    expect(chain.matcherFor!('KUBE-SVC-FFKEUBR5SKHPYVCQ')).not.toBe(sep);
    expect(chain.matcherFor!('KUBE')).toBe(chain.pattern);
  });
});
