import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Step } from '../../src/model/block.ts';
import type { SessionDef } from '../../src/model/lab.ts';
import { checkDuplicateIds, checkSessionOrder, extractBlocks, loadLab } from '../../src/parse/index.ts';

const sessions: Record<string, SessionDef> = {
  node: { prompt: 'root@kind-control-plane:/# ', command: 'docker exec -i kind-control-plane bash' },
  client: { prompt: '/ # ' },
};
const f = '```';

function step(slug: string, ...blocks: string[]): Step {
  const file = `${slug}.mdx`;
  const { blocks: parsed, problems } = extractBlocks(blocks.join('\n\n'), { file, slug, sessions });
  expect(problems).toEqual([]);
  return { file, absPath: `/lab/${file}`, slug, title: slug, blocks: parsed };
}

const opens = `${f}console opens=client\n$ kubectl run client -it --image=busybox:1.37.0\n${f}`;
const inClient = `${f}console session=client\n/ # hostname\nclient\n${f}`;
const exitClient = `${f}console session=client\n/ # exit\n${f}`;

describe('checkSessionOrder', () => {
  it('accepts host, sessions with a command, and sessions opened in an earlier step', () => {
    const steps = [step('01-a', opens, `${f}console session=node\nroot@kind-control-plane:/# true\n${f}`), step('02-b', inClient)];
    expect(checkSessionOrder(steps, sessions)).toEqual([]);
  });

  it('reports a session used before any opens=, at the block', () => {
    const problems = checkSessionOrder([step('01-a', inClient, opens)], sessions);
    expect(problems.map((p) => `${p.location.file}:${p.location.line}:${p.location.column} ${p.message}`)).toEqual(['01-a.mdx:1:1 session "client" is used before a block opens it']);
    expect(problems[0]!.hint).toContain('opens=client');
  });

  it('reports a session used after exit closed it, naming where', () => {
    const problems = checkSessionOrder([step('01-a', opens, exitClient), step('02-b', inClient)], sessions);
    expect(problems.map((p) => `${p.location.file}:${p.location.line} ${p.message}`)).toEqual(['02-b.mdx:1 session "client" was closed by "exit" at 01-a.mdx:6:1']);
  });

  it('ignores skipped blocks: they neither open nor use a session', () => {
    const skippedOpen = `${f}console opens=client skip="needs a cluster"\n$ kubectl run client -it --image=busybox\n${f}`;
    const skippedUse = `${f}console session=client skip="illustration"\n/ # ls\n${f}`;
    expect(checkSessionOrder([step('01-a', skippedUse)], sessions)).toEqual([]);
    expect(checkSessionOrder([step('01-a', skippedOpen, inClient)], sessions)).toHaveLength(1);
  });
});

describe('checkDuplicateIds', () => {
  it('reports each place of a shared id', () => {
    const a = step('01-a', `${f}console id=x\n$ true\n${f}`);
    const b = step('02-b', `${f}console\n$ true\n${f}`, `${f}console id=x\n$ true\n${f}`);
    const problems = checkDuplicateIds([...a.blocks, ...b.blocks]);
    expect(problems.map((p) => `${p.location.file}:${p.location.line} ${p.message}`)).toEqual([
      '01-a.mdx:1 duplicate block id "x" (also at 02-b.mdx:5:1)',
      '02-b.mdx:5 duplicate block id "x" (also at 01-a.mdx:1:1)',
    ]);
  });

  it('catches an explicit id that clashes with a derived one', () => {
    const a = step('01-a', `${f}console\n$ true\n${f}`, `${f}console id=01-a-1\n$ true\n${f}`);
    expect(checkDuplicateIds(a.blocks)).toHaveLength(2);
  });
});

describe('loadLab checks that need the file system', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  async function makeLab(files: Record<string, string>): Promise<string> {
    const root = await mkdtemp(path.join(tmpdir(), 'parse-lab-'));
    dirs.push(root);
    const dir = path.join(root, 'lab');
    await mkdir(dir);
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    return root;
  }

  it('reports a kind config file that does not exist, at its value', async () => {
    const root = await makeLab({ 'lab.yaml': 'title: t\ntarget: kind\nkind:\n  config: missing.yaml\n', '01-a.mdx': `${f}console\n$ true\n${f}\n` });
    const { problems, lab } = await loadLab('lab', { cwd: root });
    expect(lab?.steps).toHaveLength(1);
    expect(problems.map((p) => `${p.location.file}:${p.location.line}:${p.location.column} ${p.message}`)).toEqual(['lab/lab.yaml:4:11 kind config file "missing.yaml" not found']);
  });

  it('reports a lab without steps', async () => {
    const root = await makeLab({ 'lab.yaml': 'title: t\ntarget: local\n', 'intro.mdx': '# not a step\n' });
    const { problems } = await loadLab('lab', { cwd: root });
    expect(problems.map((p) => p.message)).toEqual(['the lab has no steps']);
  });

  it('still checks blocks against the sessions of an invalid lab.yaml', async () => {
    const root = await makeLab({ 'lab.yaml': 'title: t\ntarget: local\ntypo: 1\nsessions:\n  client: { prompt: "/ # " }\n', '01-a.mdx': `${f}console session=client\n/ # ls\n${f}\n` });
    const { problems, lab } = await loadLab('lab', { cwd: root });
    expect(lab).toBeUndefined();
    expect(problems.map((p) => p.message)).toEqual(['unknown key "typo" in lab.yaml', 'session "client" is used before a block opens it']);
  });
});
