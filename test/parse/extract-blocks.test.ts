import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractBlocks, parseCodeBlock } from '../../src/parse/extract-blocks.ts';
import { parseMetaOptions } from '../../src/parse/meta-options.ts';
import { DEFAULT_TIMEOUT_MS } from '../../src/model/block.ts';
import type { SessionDef } from '../../src/model/lab.ts';

const sessions: Record<string, SessionDef> = {
  node: { prompt: 'root@kind-control-plane:/# ', command: 'docker exec -i kind-control-plane bash' },
  client: { prompt: '/ # ' },
};
const ctx = { file: 'labs/k8s/01-pods.mdx', slug: '01-pods', sessions };
const fence = '```';

describe('extractBlocks', () => {
  it('finds blocks at any depth in document order, and the first level-1 heading in document order as the title', () => {
    const src = [
      '<Aside>', // 1
      '',
      '# Inside a component', // 3: the first level-1 heading, though nested
      '',
      '</Aside>',
      '',
      '# Nested', // 7
      '',
      '<Tabs>',
      '<TabItem label="a">',
      '',
      `${fence}console`, // 12
      '$ echo in-tab',
      'in-tab',
      fence,
      '',
      '</TabItem>',
      '</Tabs>',
      '',
      `- first ${'item'}`,
      '',
      `  ${fence}console`, // 22
      '  $ echo in-list',
      '  in-list',
      `  ${fence}`,
      '',
      `> ${fence}console`, // 27
      '> $ echo in-quote',
      '> in-quote',
      `> ${fence}`,
      '',
      `${fence}console`, // 32
      '$ echo top',
      'top',
      fence,
    ].join('\n');
    const { blocks, title, problems } = extractBlocks(src, ctx);
    expect(problems).toEqual([]);
    // The first depth-1 heading in document order, wherever it is.
    expect(title).toBe('Inside a component');
    expect(blocks.map((b) => [b.id, b.line])).toEqual([
      ['01-pods-1', 12],
      ['01-pods-2', 22],
      ['01-pods-3', 27],
      ['01-pods-4', 32],
    ]);
    expect(blocks.map((b) => (b.kind === 'command' ? b.commands[0]!.text : ''))).toEqual(['echo in-tab', 'echo in-list', 'echo in-quote', 'echo top']);
  });

  it('finds console and file blocks, skipping plain code and indented code', () => {
    const src = [
      '# Pods', // 1
      '',
      `${fence}console`, // 3
      '$ kubectl get pod',
      'No resources found in default namespace.',
      fence, // 6
      '',
      `${fence}bash`,
      'echo plain',
      fence,
      '',
      '    $ indented code',
      '',
      `${fence} file=notes.txt`, // 14
      'hello',
      fence,
    ].join('\n');
    const { blocks, title, problems } = extractBlocks(src, ctx);
    expect(problems).toEqual([]);
    expect(title).toBe('Pods');
    expect(blocks.map((b) => [b.kind, b.id, b.line, b.endLine, b.lang])).toEqual([
      ['command', '01-pods-1', 3, 6, 'console'],
      ['file', '01-pods-2', 14, 16, ''],
    ]);
    expect(blocks[1]).toMatchObject({ kind: 'file', path: 'notes.txt', content: 'hello\n', meta: 'file=notes.txt' });
  });

  it('finds blocks nested in JSX and lists, with columns of the indented fence', () => {
    const src = ['<Tabs>', '<TabItem label="kind">', '', `${fence}console tiemout=1s`, '$ kind get clusters', 'kind', fence, '', '</TabItem>', '</Tabs>', '', '- step', '', `  ${fence}console output=nope`, '  $ true', `  ${fence}`].join('\n');
    const { blocks, problems } = extractBlocks(src, ctx);
    expect(blocks).toHaveLength(2);
    expect(problems.map((p) => `${p.location.line}:${p.location.column} ${p.message}`)).toEqual(['4:12 unknown option "tiemout"', '14:14 bad output mode "nope"']);
  });

  it('keeps line numbers across frontmatter and takes its title', () => {
    const src = ['---', 'title: "Services: ClusterIP"', 'sidebar: { order: 2 }', '---', '', '# Heading', '', `${fence}console`, '$ kubectl get svc', fence].join('\n');
    const { blocks, title } = extractBlocks(src, ctx);
    expect(title).toBe('Services: ClusterIP');
    expect(blocks[0]?.line).toBe(8);
    expect(blocks[0]?.kind === 'command' && blocks[0].commands[0]?.line).toBe(9);
  });

  it('reports bad frontmatter located in the file', () => {
    const { problems, title } = extractBlocks('---\ntitle: [unclosed\n---\n# T\n', ctx);
    expect(title).toBe('T');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/^bad frontmatter/);
    expect(problems[0]!.location.line).toBeGreaterThanOrEqual(2);
  });

  it('falls back to the slug for the title', () => {
    expect(extractBlocks('no heading here', ctx).title).toBe('01-pods');
  });

  it('turns an MDX error into a located problem and still checks the blocks', () => {
    const src = ['# T', '', 'Some {unclosed expression', '', `${fence}console exit=maybe`, '$ false', fence].join('\n');
    const { blocks, problems } = extractBlocks(src, ctx);
    expect(problems.map((p) => p.location.line)).toEqual([3, 5]);
    expect(problems[0]!.message).toMatch(/^MDX syntax error/);
    expect(blocks).toHaveLength(1);
  });

  it('does not apply MDX rules to .md files', () => {
    const { problems } = extractBlocks('# T\n\na < b and {braces}\n', { ...ctx, file: 'x.md' });
    expect(problems).toEqual([]);
  });

  it('knows sessions opened earlier in the file even if lab.yaml lacks them, reporting only the opens=', () => {
    const src = [`${fence}console opens=pod`, '$ kubectl exec -it pod -- sh', fence, '', `${fence}console session=pod`, '$ ls', fence].join('\n');
    const { problems } = extractBlocks(src, ctx);
    expect(problems.map((p) => `${p.location.line}:${p.location.column} ${p.message}`)).toEqual(['1:12 session "pod" opened here is not defined in lab.yaml']);
  });
});

describe('parseCodeBlock', () => {
  const node = (meta: string, value: string) => ({ lang: 'console', meta, value, line: 10, endLine: 10 + value.split('\n').length + 1, fenceLine: `${fence}console ${meta}` });
  const pctx = { file: 'f.mdx', sessions, index: 3, slug: '02-svc' };

  it('fills default options', () => {
    const { block, problems } = parseCodeBlock(node('', '$ true'), pctx);
    expect(problems).toEqual([]);
    expect(block).toMatchObject({ kind: 'command', id: '02-svc-3', options: { session: 'host', output: 'exact', timeoutMs: 60_000, exit: 0, background: false } });
  });

  it('parses with the prompt of the block’s session, the opener with its own', () => {
    const r = parseCodeBlock(node('session=node', 'root@kind-control-plane:/# crictl ps | wc -l\n4'), pctx);
    expect(r.block?.kind === 'command' && r.block.commands.map((c) => [c.prompt, c.text])).toEqual([['root@kind-control-plane:/# ', 'crictl ps | wc -l']]);
    const o = parseCodeBlock(node('opens=client', "$ kubectl run client -it --image=busybox\nIf you don't see a command prompt, try pressing enter."), pctx);
    expect(o.problems).toEqual([]);
    expect(o.block?.kind === 'command' && o.block.commands[0]!.expected.length).toBe(1);
  });

  it('uses lab.yaml’s host prompt when it overrides the default', () => {
    const r = parseCodeBlock(node('', 'lab$ whoami\nlab'), { ...pctx, sessions: { host: { prompt: 'lab$ ' } } });
    expect(r.problems).toEqual([]);
    expect(r.block?.kind === 'command' && r.block.commands[0]?.text).toBe('whoami');
  });

  it.each([
    ['background wait=5s', '$ sleep 100', 'wait= cannot be combined with background', 23],
    ['skip', '$ true', 'skip needs a reason', 12],
    ['opens=host', '$ bash', 'opens=host: the host session always exists', 12],
    ['session=client opens=client', '/ # sh', 'a block cannot open the session "client" it types into', 27],
    ['file=x.sh', '$ true', 'file= does not apply to a console block', 12],
    ['session=clinet', '/ # true', 'unknown session "clinet"', 12],
    ['', '', 'console block has no command', 1],
    ['', '$ echo [[x]] ok\n[[x', 'volatile marker "[[" is not closed on its line', 1],
    ['', '$ true\n[[]]', 'empty volatile marker "[[]]"', 1],
    ['', '$ true\na [[b [[c]] d]]', 'volatile markers cannot nest', 7],
  ])('%s / %j → %s', (meta, value, message, column) => {
    const { problems } = parseCodeBlock(node(meta, value), pctx);
    expect(problems.map((p) => p.message)).toEqual([message]);
    expect(problems[0]!.location.column).toBe(column);
    expect(problems[0]!.hint).toBeTruthy();
  });

  it('gives a file block only file, session and id', () => {
    const r = parseCodeBlock({ lang: 'yaml', meta: 'file=svc.yaml session=node id=svc wait=5s', value: 'kind: Service', line: 4, endLine: 6, fenceLine: '```yaml file=svc.yaml session=node id=svc wait=5s' }, pctx);
    expect(r.block).toMatchObject({ kind: 'file', id: 'svc', path: 'svc.yaml', session: 'node', content: 'kind: Service\n' });
    expect(r.problems.map((p) => [p.message, p.location.column])).toEqual([['option "wait" does not apply to a file block', 43]]);
  });

  it('gives nothing for plain code', () => {
    expect(parseCodeBlock({ lang: 'yaml', meta: 'title="x"', value: 'a: 1', line: 1, endLine: 3 }, pctx)).toEqual({ problems: [] });
    expect(parseCodeBlock({ lang: null, meta: null, value: 'a', line: 1, endLine: 3 }, pctx)).toEqual({ problems: [] });
  });
});

describe('hints for a transcript of another session', () => {
  it('names the session whose prompt the first line has', () => {
    const src = ['```console', '/ # ip a', '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000', '```'].join('\n');
    const { problems } = extractBlocks(src, ctx);
    expect(problems.map((p) => [p.location.line, p.message, p.hint])).toEqual([[2, 'output before the first command', 'this line starts with the prompt of session "client": add session=client to the fence']]);
  });

  it('points a host transcript in a named session back to host', () => {
    const src = ['```console session=client', '$ kubectl get pod', '```'].join('\n');
    const { problems } = extractBlocks(src, ctx);
    expect(problems[0]?.hint).toBe('this line starts with the prompt of session "host": remove session= (or set session=host)');
  });
});

describe('a command block’s options', () => {
  // The options a block carries are its fence's options with the defaults filled in and `file=`
  // (which a console block cannot take) left out. Their order is part of the block's hash, which
  // records are matched by: built any other way, they must come out the same, key for key.
  const tokens = ['session=client', 'session=node', 'opens=client', 'skip', 'output=contains', 'output=ignore', 'wait=2s', 'timeout=5s', 'exit=1', 'background', 'ready=:8080', 'id=x-1', 'file=a.txt'];
  it('are the fence options with the defaults, without file=, in the order they were given (property)', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(tokens), (picked) => {
        const meta = picked.join(' ');
        const at = { file: ctx.file, line: 3, column: 1 };
        const { options } = parseMetaOptions(meta, at);
        const r = parseCodeBlock({ lang: 'console', meta, value: '$ echo hi\nhi', line: 3, endLine: 6 }, { ...ctx, index: 1 });
        if (r.block?.kind !== 'command') throw new Error('no command block');
        // What the options were built as before: the fence's, the defaults, then file= deleted.
        const before: Record<string, unknown> = { ...options, session: options.session ?? 'host', output: options.output ?? 'exact', timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, exit: options.exit ?? 0, background: options.background ?? false };
        delete before.file;
        expect(Object.keys(r.block.options)).toEqual(Object.keys(before));
        expect(JSON.stringify(r.block.options)).toBe(JSON.stringify(before));
        expect(r.block.options).not.toHaveProperty('file');
      }),
    );
  });
});
