import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLab } from '../../src/parse/index.ts';

const made: string[] = [];
afterEach(async () => {
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
});

/** Writes a lab folder `lab` from `files` in a fresh temp folder; returns that folder. */
async function lab(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'labs-bad-input-'));
  made.push(root);
  await mkdir(path.join(root, 'lab'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(root, 'lab', name), text);
  return root;
}

const YAML = 'title: t\ntarget: local\n';
const STEP = '---\ntitle: One\n---\n\n```console\n$ echo hi\nhi\n```\n';
const where = (p: { location: { file: string; line: number; column: number }; message: string }) => `${p.location.file}:${p.location.line}:${p.location.column} ${p.message}`;

/** Bad input an author can write, and where (file:line:column) it must be reported. */
const CASES: { name: string; files: Record<string, string>; expect: RegExp }[] = [
  { name: 'an unclosed double quote in lab.yaml', files: { 'lab.yaml': 'title: "t\ntarget: local\nsetup: []\n', '01-a.mdx': STEP }, expect: /^lab\/lab\.yaml:1:8 YAML syntax error: the double quote opened here is never closed/ },
  { name: 'an unclosed [ in lab.yaml', files: { 'lab.yaml': 'title: t\ntarget: local\nsetup: [a, b\nteardown: []\n', '01-a.mdx': STEP }, expect: /^lab\/lab\.yaml:3:8 YAML syntax error: the \[ opened here is never closed/ },
  { name: 'an unclosed { in lab.yaml', files: { 'lab.yaml': 'title: t\ntarget: local\nsessions:\n  a: { prompt: "$ "\nsetup: []\n', '01-a.mdx': STEP }, expect: /^lab\/lab\.yaml:4:6 YAML syntax error: the \{ opened here/ },
  { name: 'an unknown frontmatter key', files: { 'lab.yaml': YAML, '01-a.mdx': '---\ntitle: One\ndescriptoin: typo\n---\n\n# One\n' }, expect: /^lab\/01-a\.mdx:3:1 unknown frontmatter key "descriptoin"/ },
  { name: 'a step file named with an underscore', files: { 'lab.yaml': YAML, '01-a.mdx': STEP, '02_two.mdx': STEP }, expect: /^lab\/02_two\.mdx:1:1 "02_two\.mdx" is not a step file name, so this page is not run/ },
  { name: 'a session cwd outside the work folder', files: { 'lab.yaml': `${YAML}sessions:\n  s: { prompt: "$ ", cwd: ../up }\n`, '01-a.mdx': STEP }, expect: /^lab\/lab\.yaml:4:27 sessions\.s\.cwd "\.\.\/up" leaves the lab's work folder/ },
  { name: 'an absolute file= path', files: { 'lab.yaml': YAML, '01-a.mdx': '# A\n\n```yaml file=/etc/x.yaml\na: 1\n```\n' }, expect: /^lab\/01-a\.mdx:3:\d+ .*file="\/etc\/x\.yaml" is an absolute path/ },
  { name: 'a file= path that climbs out', files: { 'lab.yaml': YAML, '01-a.mdx': '# A\n\n```yaml file=../x.yaml\na: 1\n```\n' }, expect: /^lab\/01-a\.mdx:3:\d+ .*file="\.\.\/x\.yaml" leaves the session's working directory/ },
];

describe('bad input is located at its line', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const root = await lab(c.files);
      const { problems } = await loadLab('lab', { cwd: root });
      expect(problems.map(where)).toContainEqual(expect.stringMatching(c.expect));
    });
  }

  it('a step file that is a symlink is reported, not silently left out', async () => {
    const root = await lab({ 'lab.yaml': YAML, '01-a.mdx': STEP });
    await writeFile(path.join(root, 'elsewhere.mdx'), STEP);
    await symlink(path.join(root, 'elsewhere.mdx'), path.join(root, 'lab', '02-linked.mdx'));
    const { lab: loaded, problems } = await loadLab('lab', { cwd: root });
    expect(problems.map(where)).toEqual(['lab/02-linked.mdx:1:1 this step file is a symlink and is not run']);
    expect(loaded?.steps.map((s) => s.file)).toEqual(['lab/01-a.mdx']);
  });

  it('a UTF-8 byte-order mark does not hide the frontmatter or lab.yaml', async () => {
    const root = await lab({ 'lab.yaml': `\uFEFF${YAML}`, '01-a.mdx': `\uFEFF${STEP}` });
    const { lab: loaded, problems } = await loadLab('lab', { cwd: root });
    expect(problems).toEqual([]);
    expect(loaded?.steps[0]?.title).toBe('One');
    expect(loaded?.steps[0]?.blocks).toHaveLength(1);
  });

  it('README.md and other notes next to the steps are not steps and not problems', async () => {
    const root = await lab({ 'lab.yaml': YAML, '01-a.mdx': STEP, 'README.md': '# notes\n' });
    expect((await loadLab('lab', { cwd: root })).problems).toEqual([]);
  });
});
