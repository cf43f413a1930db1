import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/parse/duration.ts';
import { parseMetaOptions } from '../../src/parse/meta-options.ts';

const at = { file: 'content/labs/k8s/02-services.mdx', line: 48, column: 12 };

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['0s', 0],
  ])('%s → %d ms', (s, ms) => expect(parseDuration(s)).toBe(ms));

  it.each(['', '30', 's', '1.5s', '30 s', '-1s', '1d', '30sec', ' 30s', '1m30s'])('rejects %j', (s) => expect(parseDuration(s)).toBeUndefined());
});

describe('parseMetaOptions', () => {
  it('reads every option of the contract table', () => {
    const { options, problems } = parseMetaOptions('session=node opens=client skip="needs a GPU" output=contains wait=30s timeout=5m exit=any background id=svc-1', at);
    expect(problems).toEqual([]);
    expect(options).toEqual({ session: 'node', opens: 'client', skip: 'needs a GPU', output: 'contains', waitMs: 30_000, timeoutMs: 300_000, exit: 'any', background: true, id: 'svc-1' });
  });

  it('reads quoted values with escapes, single quotes and file=', () => {
    const { options, problems, tokens } = parseMetaOptions(`skip="say \\"hi\\" \\\\ bye" file='my dir/service.yaml' exit=3`, at);
    expect(problems).toEqual([]);
    expect(options).toEqual({ skip: 'say "hi" \\ bye', file: 'my dir/service.yaml', exit: 3 });
    expect(tokens.map((t) => t.column)).toEqual([12, 12 + 25, 12 + 52]);
  });

  it('returns nothing for an empty meta string', () => {
    expect(parseMetaOptions('   ', at)).toEqual({ options: {}, problems: [], tokens: [] });
  });

  it('reports an unknown key at its column with a did-you-mean hint', () => {
    const { problems } = parseMetaOptions('output=contains tiemout=5s', at);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ stage: 'parse', location: { file: at.file, line: 48, column: 12 + 16 }, message: 'unknown option "tiemout"' });
    expect(problems[0]!.hint).toContain('did you mean "timeout"?');
  });

  it('lists the options when nothing is close', () => {
    const { problems } = parseMetaOptions('frobnicate', at);
    expect(problems[0]!.hint).toContain('session, opens, skip');
  });

  it.each([
    ['wait=30', 'bad duration "30" in wait='],
    ["wait=1.5s", "bad duration \"1.5s\" in wait="],
    ["wait=0s", "wait= must be longer than 0"],
    ['output=contians', 'bad output mode "contians"'],
    ['exit=256', 'bad exit status "256"'],
    ['exit=maybe', 'bad exit status "maybe"'],
    ['id=a.b', 'bad id "a.b"'],
    ['session=2nd', 'bad session name "2nd" in session='],
    ['skip', 'skip needs a reason'],
    ['skip=""', 'skip needs a reason'],
    ['session', 'option "session" needs a value'],
    ['background=yes', 'background is a flag and takes no value "yes"'],
    ['file=/etc/passwd', 'file="/etc/passwd" is an absolute path'],
    ['file=../x.yaml', `file="../x.yaml" leaves the session's working directory`],
    ['{1,3}', '"{1,3}" is not an option'],
  ])('%s → %s', (meta, message) => {
    const { problems } = parseMetaOptions(`timeout=9s ${meta}`, at);
    expect(problems.map((p) => p.message)).toEqual([message]);
    expect(problems[0]!.location).toEqual({ file: at.file, line: 48, column: 12 + 11 });
    expect(problems[0]!.hint).toBeTruthy();
  });

  it('points at the quote of an unclosed value', () => {
    const { problems } = parseMetaOptions('skip="no end', at);
    expect(problems).toMatchObject([{ message: 'unclosed double quote in option "skip"', location: { column: 12 + 5 } }]);
  });

  it('rejects text glued to a quoted value', () => {
    const { problems } = parseMetaOptions('skip="a"b output=ignore', at);
    expect(problems.map((p) => p.location.column)).toEqual([12 + 8]);
  });

  it('reports a repeated key once and keeps the first value', () => {
    const { options, problems } = parseMetaOptions('output=ignore output=exact', at);
    expect(options.output).toBe('ignore');
    expect(problems.map((p) => [p.message, p.location.column])).toEqual([['option "output" is given twice', 12 + 14]]);
  });

  it('collects every problem of a line at once', () => {
    const { problems, options } = parseMetaOptions('sesion=node wait=soon output=all exit=-1 id=fine', at);
    expect(problems.map((p) => p.location.column)).toEqual([12, 24, 34, 45]);
    expect(options).toEqual({ id: 'fine' });
  });
});
