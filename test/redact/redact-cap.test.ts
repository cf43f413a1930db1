import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capResult, DIFF_CAP, STORE_CAP } from '../../src/model/cap-output.ts';
import type { BlockResult, CommandResult, DiffLine } from '../../src/model/result.ts';
import { Redactor } from '../../src/redact/redact.ts';
import { learnResult, redactCapResult, redactResult } from '../../src/redact/redact-run.ts';
import { REDACTED } from '../../src/redact/redact.ts';
import { PLANTED } from './planted.ts';

// redactRun redacts and caps each result in one copy: it must equal redacting, then capping.
const secret = fc.constantFrom(...PLANTED.map((p) => p.line));
const small = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.array(fc.oneof(fc.string({ maxLength: 30 }), secret), { maxLength: 6 }).map((parts) => parts.join('\n')),
);
// Long enough to be capped, with a secret on either side of the cut (one size: redacting is slow on it).
const big = fc.tuple(secret, secret).map(([a, b]) => `${a}\n${'x'.repeat(40).concat('\n').repeat(Math.ceil(STORE_CAP / 40))}${b}`);
const text = fc.oneof({ arbitrary: small, weight: 30 }, { arbitrary: big, weight: 1 });
const diffLine: fc.Arbitrary<DiffLine> = fc.record(
  { op: fc.constantFrom('=', '~', '-', '+') as fc.Arbitrary<DiffLine['op']>, text: fc.oneof({ arbitrary: small, weight: 10 }, { arbitrary: fc.tuple(secret, fc.constant('y'.repeat(4200))).map(([a, b]) => `${b} ${a}`), weight: 1 }), notes: fc.array(small, { maxLength: 2 }) },
  { requiredKeys: ['op', 'text'] },
);
const shortDiffLine: fc.Arbitrary<DiffLine> = fc.record({ op: fc.constantFrom('=', '-') as fc.Arbitrary<DiffLine['op']>, text: fc.oneof(fc.constant('z'), secret) });
const command: fc.Arbitrary<CommandResult> = fc
  .record({ command: text, ranSame: fc.boolean(), ran: text, output: text, reason: fc.option(text, { nil: undefined }), diff: fc.option(fc.oneof(fc.array(diffLine, { maxLength: 4 }), fc.array(shortDiffLine, { minLength: DIFF_CAP + 1, maxLength: DIFF_CAP + 3 })), { nil: undefined }) })
  .map(({ command, ranSame, ran, output, reason, diff }) => ({
    command,
    ran: ranSame ? command : ran,
    exitCode: 0,
    output,
    durationMs: 1,
    timedOut: false,
    ok: reason === undefined,
    ...(reason !== undefined ? { reason } : {}),
    ...(diff ? { diff } : {}),
  }));
const result: fc.Arbitrary<BlockResult> = fc
  .record({ reason: fc.option(text, { nil: undefined }), commands: fc.array(command, { maxLength: 3 }), bindings: fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), secret), fc.oneof(fc.string({ maxLength: 8 }), secret), { maxKeys: 3 }) })
  .map(({ reason, commands, bindings }) => ({ id: 'b', file: 'lab/01.mdx', line: 3, step: '01', status: 'fail', ...(reason !== undefined ? { reason } : {}), commands, bindings }) as unknown as BlockResult);

describe('redactCapResult', () => {
  it('equals capResult(redactResult(…)) on generated results with planted secrets', () => {
    fc.assert(
      fc.property(result, (r) => {
        const a = new Redactor();
        const b = new Redactor();
        learnResult(a, r);
        learnResult(b, r);
        const fused = redactCapResult(a, r);
        expect(fused).toEqual(capResult(redactResult(b, r)));
        // And no planted secret is left anywhere in it.
        const out = JSON.stringify(fused);
        for (const p of PLANTED) expect(out).not.toContain(p.value);
      }),
      { numRuns: 150 },
    );
  });

  it('hides a secret in a command that ran as typed, in both fields', () => {
    const r = redactor();
    const line = PLANTED[0]!.line;
    const c: CommandResult = { command: line, ran: line, exitCode: 0, output: '', durationMs: 1, timedOut: false, ok: true };
    const out = redactCapResult(r, { id: 'b', commands: [c], bindings: {} } as unknown as BlockResult);
    expect(out.commands[0]!.command).not.toContain(PLANTED[0]!.value);
    expect(out.commands[0]!.ran).not.toContain(PLANTED[0]!.value);
  });
});

describe('learnResult', () => {
  /** What the redactor knows: the values it learned. */
  const known = (r: Redactor) => [...(r as unknown as { known: Set<string> }).known].sort();

  it('learns what reading every text of the result, then its bindings, learns', () => {
    fc.assert(
      fc.property(result, (r) => {
        const fast = new Redactor();
        learnResult(fast, r);
        const plain = new Redactor();
        for (const t of textsOf(r)) plain.learnFrom(t);
        for (const [example, actual] of Object.entries(r.bindings)) if (plain.isSecret(actual) || plain.isSecret(example)) plain.learn(actual);
        expect(known(fast)).toEqual(known(plain));
        // Every planted secret it was shown is hidden by what it learned.
        const redacted = redactResult(fast, r);
        expect(redacted.bindings).toEqual(Object.fromEntries(Object.entries(r.bindings).map(([k, v]) => [fast.redact(k), fast.isSecret(v) ? REDACTED : fast.redact(v)])));
        const out = JSON.stringify(redacted);
        for (const p of PLANTED) expect(out).not.toContain(p.value);
      }),
      { numRuns: 150 },
    );
  });

  it('learns a secret that only the command as it ran holds', () => {
    const r = new Redactor();
    const c: CommandResult = { command: 'curl -H "$AUTH" example.com', ran: `curl -H "${PLANTED[0]!.line}" example.com`, exitCode: 0, output: '', durationMs: 1, timedOut: false, ok: true };
    learnResult(r, { id: 'b', commands: [c], bindings: {} } as unknown as BlockResult);
    expect(r.redact(`later: ${PLANTED[0]!.value}`)).toBe(`later: ${REDACTED}`);
  });
});

function redactor(): Redactor {
  return new Redactor();
}

/** Every text of a result that may hold a secret, listed plainly: what `learnResult` must read. */
function* textsOf(r: BlockResult): Iterable<string> {
  if (r.reason) yield r.reason;
  for (const c of r.commands) {
    yield c.command;
    yield c.ran;
    yield c.output;
    if (c.reason) yield c.reason;
    for (const d of c.diff ?? []) {
      yield d.text;
      yield* d.notes ?? [];
    }
  }
}
