// The lab.yaml and deck frontmatter schemas are declared with zod's small build (`zod/mini`),
// which starts far faster than the full one. These tests hold them to the full build: the same
// declarations written with `zod` must accept the same values, give the same data and report
// the same issues (codes, paths and messages) for anything an author could write.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LabConfigSchema, OPT_IN_CLASSES } from '../../src/model/lab.ts';
import { DeckMetaSchema, readDeckMeta } from '../../src/slides/deck-meta.ts';

// The schemas as they were written with the full build.
const fullSession = z
  .object({
    prompt: z.string().min(1),
    command: z.string().min(1).optional(),
    repl: z.boolean().optional(),
    continuation: z.string().min(1).optional(),
    cwd: z.string().optional(),
    env: z.record(z.string(), z.string()).optional(),
  })
  .strict();
const fullPattern = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'use lower-case letters, digits and dashes'),
    pattern: z.string().min(1),
    label: z.string().optional(),
    bind: z.boolean().optional(),
  })
  .strict();
const fullVolatile = z.union([z.enum(OPT_IN_CLASSES, { error: `an opt-in class is one of ${OPT_IN_CLASSES.join(', ')}` }), fullPattern]);
const fullLabConfig = z
  .object({
    title: z.string().min(1),
    description: z.string().optional(),
    target: z.enum(['kind', 'local']),
    requires: z.array(z.string().min(1)).optional(),
    kind: z
      .object({
        config: z.string().min(1),
        images: z.array(z.string().min(1)).optional(),
        name: z.string().optional(),
        image: z.string().optional(),
        matrix: z
          .array(
            z
              .object({
                kubernetes: z.string().regex(/^\d+\.\d+$/, 'a Kubernetes minor release, e.g. 1.36'),
                image: z.string().min(1).optional(),
              })
              .strict(),
          )
          .optional(),
      })
      .strict()
      .optional(),
    tools: z.record(z.string(), z.string()).optional(),
    sessions: z.record(z.string().regex(/^[A-Za-z][\w-]*$/, 'session names are letters, digits, - and _'), fullSession).optional(),
    bindings: z.record(z.string(), z.string()).optional(),
    pin: z.array(z.string().min(1)).optional(),
    volatile: z.array(fullVolatile).optional(),
    setup: z.array(z.string()).optional(),
    teardown: z.array(z.string()).optional(),
    shardSteps: z.boolean().optional(),
  })
  .strict();
const fullDeckMeta = z.strictObject({
  title: z.string().min(1),
  event: z.string().optional(),
  date: z.union([z.string(), z.date().transform((d) => d.toISOString().slice(0, 10))]).optional(),
  author: z.string().optional(),
  description: z.string().optional(),
  duration: z.number().positive().optional(),
  lab: z.string().optional(),
  aspect: z.enum(['16:9', '4:3']).optional(),
  verify: z.record(z.string(), z.unknown()).optional(),
});

/** What a parse tells a user: success, the data, and every issue with its message. */
function outcome(r: { success: boolean; data?: unknown; error?: { issues: unknown[] } }) {
  return r.success ? { success: true, data: r.data } : { success: false, issues: r.error!.issues.map((i) => JSON.parse(JSON.stringify(i))) };
}

// Values an author could write, right and wrong: YAML gives strings, numbers, booleans, null,
// dates, lists and mappings.
const scalar = fc.oneof(
  fc.constantFrom('', 'x', 'local', 'kind', '1.36', 'v1.36', 'count', 'pid', 'port', 'bad name', 'ok-name', '$ ', '^a+$', 'host', 'n1'),
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -3, max: 3 }),
  fc.double({ noNaN: true, min: -2, max: 2 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(new Date('2026-03-24T00:00:00Z')),
);
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('name', 'pattern', 'prompt', 'config', 'kubernetes', 'image', 'bind', 'x', 'label', 'matrix'), tie('v'), { maxKeys: 3 }),
  ),
})).v;
const labKeys = ['title', 'description', 'target', 'requires', 'kind', 'tools', 'sessions', 'bindings', 'pin', 'volatile', 'setup', 'teardown', 'shardSteps', 'titel', 'sesions'];
const session = fc.record({ prompt: fc.oneof(fc.constant('$ '), value), command: value, repl: value, continuation: value, cwd: value, env: value, promt: value }, { requiredKeys: [] });
const pattern = fc.record({ name: fc.oneof(fc.constantFrom('chain', 'Bad', 'a-1'), value), pattern: fc.oneof(fc.constantFrom('\\d+', ''), value), label: value, bind: value, extra: value }, { requiredKeys: [] });
const kind = fc.record(
  {
    config: fc.oneof(fc.constant('kind.yaml'), value),
    images: value,
    name: value,
    image: value,
    matrix: fc.oneof(fc.array(fc.record({ kubernetes: fc.oneof(fc.constantFrom('1.36', 'v1.36.1'), value), image: value, digest: value }, { requiredKeys: [] }), { maxLength: 2 }), value),
    nodes: value,
  },
  { requiredKeys: [] },
);
const labConfig = fc.oneof(
  value,
  fc.record(
    {
      title: fc.oneof(fc.constant('A lab'), value),
      description: value,
      target: fc.oneof(fc.constantFrom('local', 'kind', 'Local'), value),
      requires: fc.oneof(fc.array(fc.oneof(fc.constantFrom('ip', ''), value), { maxLength: 3 }), value),
      kind: fc.oneof(kind, value),
      tools: value,
      sessions: fc.oneof(fc.dictionary(fc.constantFrom('host', 'n1', '1bad', 'a b', 'ok_2'), fc.oneof(session, value), { maxKeys: 3 }), value),
      bindings: value,
      pin: value,
      volatile: fc.oneof(fc.array(fc.oneof(fc.constantFrom(...OPT_IN_CLASSES, 'counts'), pattern, value), { maxLength: 3 }), value),
      setup: value,
      teardown: value,
      shardSteps: value,
      titel: value,
    },
    { requiredKeys: [] },
  ),
);

describe('lab.yaml schema on the small zod build', () => {
  it('accepts, returns and rejects exactly as the full build (property)', () => {
    fc.assert(
      fc.property(labConfig, (raw) => {
        expect(outcome(LabConfigSchema.safeParse(raw))).toEqual(outcome(fullLabConfig.safeParse(raw)));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same issues for hand-picked wrong configs, and still rejects them', () => {
    const cases: unknown[] = [
      {},
      { title: '', target: 'local' },
      { title: 't', target: 'Local' },
      { title: 't', target: 'local', titel: 'x' },
      { title: 7, target: 'local', requires: 'ip' },
      { title: 't', target: 'local', sessions: { '1bad': { prompt: '$ ' }, ok: { promt: '$ ' } } },
      { title: 't', target: 'local', volatile: ['counts', { name: 'Bad', pattern: '' }, { name: 'x', pattern: 'y', extra: 1 }] },
      { title: 't', target: 'kind', kind: { config: 'k.yaml', matrix: [{ kubernetes: 'v1.36.1' }, { kubernetes: '1.36', digest: 'x' }] } },
      { title: 't', target: 'local', shardSteps: 'yes', env: {}, setup: [1] },
      [],
      'title: t',
      null,
    ];
    for (const raw of cases) {
      const small = LabConfigSchema.safeParse(raw);
      expect(small.success, JSON.stringify(raw)).toBe(false);
      expect(outcome(small)).toEqual(outcome(fullLabConfig.safeParse(raw)));
    }
    // The messages are zod's English ones, not the small build's bare "Invalid input".
    const missing = LabConfigSchema.safeParse({ target: 'local' });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.message).toBe('Invalid input: expected string, received undefined');
  });

  it('accepts a full valid config with the same data', () => {
    const raw = {
      title: 'T',
      target: 'kind',
      kind: { config: 'kind.yaml', images: ['a'], matrix: [{ kubernetes: '1.36', image: 'kindest/node:v1.36.4@sha256:ab' }] },
      tools: { kubectl: '1.36' },
      sessions: { node1: { prompt: '# ', command: 'ip netns exec n1 bash', env: { A: 'b' }, cwd: 'x' }, py: { prompt: '>>> ', repl: true, continuation: '... ' } },
      volatile: ['count', { name: 'chain', pattern: 'KUBE-[A-Z0-9]{16}', label: 'chain hash', bind: false }],
      setup: ['true'],
      teardown: [],
      shardSteps: true,
    };
    const small = LabConfigSchema.safeParse(raw);
    expect(small.success).toBe(true);
    expect(outcome(small)).toEqual(outcome(fullLabConfig.safeParse(raw)));
  });
});

describe('deck frontmatter schema on the small zod build', () => {
  const deck = fc.oneof(
    value,
    fc.record(
      {
        title: fc.oneof(fc.constant('Talk'), value),
        event: value,
        date: fc.oneof(fc.constant(new Date('2026-03-24T00:00:00Z')), fc.constant('2026-03-24'), value),
        author: value,
        description: value,
        duration: fc.oneof(fc.constantFrom(30, 0, -5, 2.5), value),
        lab: value,
        aspect: fc.oneof(fc.constantFrom('16:9', '4:3', '4:4'), value),
        verify: value,
        theme: value,
      },
      { requiredKeys: [] },
    ),
  );

  it('accepts, returns and rejects exactly as the full build (property)', () => {
    fc.assert(
      fc.property(deck, (raw) => {
        expect(outcome(DeckMetaSchema.safeParse(raw))).toEqual(outcome(fullDeckMeta.safeParse(raw)));
      }),
      { numRuns: 2000 },
    );
  });

  it('turns a YAML date into the ISO day and still reports a wrong title', () => {
    expect(readDeckMeta({ title: 'T', date: new Date('2026-03-24T00:00:00Z') }, 'd.mdx').meta?.date).toBe('2026-03-24');
    const bad = readDeckMeta({ title: '', duration: -1 }, 'd.mdx');
    expect(bad.meta).toBeUndefined();
    expect(bad.problems.map((p) => p.message)).toEqual(['frontmatter title: Too small: expected string to have >=1 characters', 'frontmatter duration: Too small: expected number to be >0']);
  });
});
