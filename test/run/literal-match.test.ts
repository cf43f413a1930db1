import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchOutput, type MatchInput } from '../../src/match/compare.ts';
import type { OutputMode } from '../../src/model/block.ts';
import { addBindableExamples, Bindings } from '../../src/normalise/bindings.ts';
import { buildContext, CONSTANT_ORIGIN, CONSTANT_VALUES } from '../../src/normalise/context.ts';
import { normaliseOutput } from '../../src/normalise/normalise.ts';
import { addExamplesOf, LITERAL_MATCH_LINES, matchLiteral, PlainLines } from '../../src/run/literal-match.ts';

const ctx = buildContext({ pin: ['9.9.9.9'] });
const expectedOf = (texts: readonly string[]) => texts.map((text, k) => ({ text, line: 10 + k }));

/** Bindings as the runner holds them: constants and pins, and a value learned earlier. */
function runBindings(): Bindings {
  const b = new Bindings({ '10.0.0.1': '10.0.0.9' }, 'earlier', 'learned');
  b.pinValues(CONSTANT_VALUES, CONSTANT_ORIGIN);
  b.pinValues(['9.9.9.9']);
  return b;
}

/** What the runner reads of a match, in a form to compare. */
function view(r: ReturnType<typeof matchOutput>) {
  return { ok: r.ok, bindings: r.bindings.toJSON(), version: r.bindings.version, made: r.made, madePairs: { ...r.madePairs }, used: r.used, diff: r.diff, reason: r.reason };
}

// Lines of plain text and lines with something to bind, use or elide, with the whitespace,
// pinned and constant values that literal matching must treat exactly as the full match does.
const plain = ['line 0', 'hello world', 'a  b', 'tab\there', 'row-3-17   ready   17/50   up', 'exit 9.9.9.9', 'lo 127.0.0.1', 'listen :: port', 'done.', ''];
const special = ['inet 10.0.0.1/24', 'pod web-7d4b9c8f6-x2kqp Running', 'addr 10.244.1.5', 'fe80::1', 'ether 52:54:00:12:34:56', 'up 18s', 'value [[anything]]', '...', '  ...  ', 'id 3f2a9c1e', 'ip-10-0-0-1', 'digest sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'];

describe('matching plain text without the alignment search', () => {
  it('gives exactly what matchOutput gives whenever it answers, and never answers a failing match', () => {
    let answered = 0;
    let failing = 0;
    const line = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...plain) }, { weight: 1, arbitrary: fc.constantFrom(...special) });
    const change = fc.constantFrom('none', 'none', 'none', 'one line', 'a line more', 'a line less', 'spaces', 'ansi');
    const mode = fc.constantFrom<OutputMode>('exact', 'exact', 'exact', 'contains', 'unordered');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), change, mode, fc.nat(), fc.boolean(), (texts, how, m, k, primed) => {
        let raw = [...texts];
        const at = texts.length === 0 ? 0 : k % texts.length;
        if (how === 'one line' && texts.length > 0) raw[at] = `${raw[at]}x`;
        if (how === 'a line more') raw.splice(at, 0, 'extra');
        if (how === 'a line less') raw.splice(at, 1);
        if (how === 'spaces') raw = raw.map((t) => t.replace(' ', '   '));
        if (how === 'ansi' && texts.length > 0) raw[at] = `\x1b[1m${raw[at]}\x1b[0m`;
        const input: MatchInput = { expected: expectedOf(texts), actual: normaliseOutput(raw.join('\n')), normalised: true, mode: m, bindings: runBindings(), ctx, source: 'p.mdx' };
        const full = matchOutput({ ...input, bindings: runBindings() });
        // As the runner does: what typing ahead found about the expected lines, or nothing.
        const plain = new PlainLines();
        if (primed) addExamplesOf(input.expected, ctx, new Set(), plain);
        const fast = matchLiteral(input, primed ? plain : undefined);
        if (!full.ok) failing++;
        if (fast === undefined) return;
        answered++;
        expect(full.ok).toBe(true);
        const f = view(fast);
        const s = view(full);
        // Two Bindings objects never share a version; each equals the version it was forked from.
        expect(f.version).toBe(input.bindings.version);
        expect({ ...f, version: 0 }).toEqual({ ...s, version: 0 });
      }),
      { numRuns: 3000 },
    );
    // Both kinds were seen: outputs it answered, and failing ones it left to the full match.
    expect(answered).toBeGreaterThan(300);
    expect(failing).toBeGreaterThan(300);
  });

  it('answers a one-command echo, and leaves a changed line, a value to bind, a `...` and long outputs to the full match', () => {
    const run = (expected: string[], actual: string[], mode: OutputMode = 'exact') =>
      matchLiteral({ expected: expectedOf(expected), actual, normalised: true, mode, bindings: runBindings(), ctx, source: 'p.mdx' });
    expect(run(['line 7'], ['line 7'])?.ok).toBe(true);
    expect(run(['line 7'], ['line 8'])).toBeUndefined();
    // Equal text, yet the full match must decide: 10.0.0.1 stands for 10.0.0.9 in this run.
    expect(run(['inet 10.0.0.1/24'], ['inet 10.0.0.1/24'])).toBeUndefined();
    expect(matchOutput({ expected: expectedOf(['inet 10.0.0.1/24']), actual: ['inet 10.0.0.1/24'], normalised: true, mode: 'exact', bindings: runBindings(), ctx }).ok).toBe(false);
    expect(run(['...'], ['...'])).toBeUndefined();
    expect(run(['a'], ['a'], 'contains')).toBeUndefined();
    const long = Array.from({ length: LITERAL_MATCH_LINES + 1 }, (_, k) => `line ${k}`);
    expect(run(long, long)).toBeUndefined();
    expect(run(long.slice(1), long.slice(1))?.ok).toBe(true);
  });
});

describe('the values an output typed ahead of a command could bind', () => {
  it('are the ones addBindableExamples finds, for short outputs (noting which lines are plain) and long ones', () => {
    const line = fc.oneof(fc.constantFrom(...plain, ...special, 'svc 10.96.0.10:53', 'node ip-10-0-0-7.ec2', '[[10.0.0.3]] up', 'old 10.0.0.1\rnew 10.0.0.2', 'ip \x1b[1m10.0.0.8\x1b[0m', 'web-7d4b9c8f6-x2kqp 10.244.0.5\x1b[0m  '), fc.string({ maxLength: 12 }));
    let found = 0;
    fc.assert(
      fc.property(fc.array(line, { maxLength: LITERAL_MATCH_LINES + 8 }), (texts) => {
        const want = new Set<string>();
        addBindableExamples(texts, ctx, want);
        const got = new Set<string>();
        const plain = new PlainLines();
        for (let k = 0; k < 2; k++) addExamplesOf(expectedOf(texts), ctx, got, k === 0 ? plain : undefined);
        expect([...got].sort()).toEqual([...want].sort());
        if (want.size > 0) found++;
      }),
      { numRuns: 500 },
    );
    expect(found).toBeGreaterThan(100);
  });
});
