import { execa } from 'execa';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, spawnLabs } from './drive-pty.ts';

const made: string[] = [];
afterEach(async () => {
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
});

const PAGE = `---
title: Drift
---

The page says one thing, the commands print another.

\`\`\`console
$ printf 'alpha\\nbeta\\n'
alpha
BETA
\`\`\`

Some prose between the blocks stays as it is.

\`\`\`console
$ echo gamma
GAMMA
\`\`\`

\`\`\`console
$ printf 'one\\ntwo\\n'
one
\`\`\`
`;

/** A copy of the three-drift fixture lab in a temp folder, with its own lock folder. */
async function fixture(): Promise<{ dir: string; file: string; env: Record<string, string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'labs-review-test-'));
  made.push(dir);
  await cp(join(ROOT, 'test/fixtures/update/interactive'), join(dir, 'interactive'), { recursive: true });
  const file = join(dir, 'interactive/01-drift.mdx');
  expect(await readFile(file, 'utf8')).toBe(PAGE);
  return { dir, file, env: { LABS_LOCK_DIR: join(dir, 'locks') } };
}

const QUESTION = 'Accept this change?';

describe('labs verify --update --interactive', () => {
  it('writes the accepted and edited outputs and leaves the skipped one, as answered in a terminal', async () => {
    const { dir, file, env } = await fixture();
    // The "editor" replaces the proposed output with text of its own, as a person would.
    const editor = join(dir, 'editor.sh');
    await writeFile(editor, `#!/bin/sh\nprintf 'one\\n...\\n' > "$1"\n`);
    await chmod(editor, 0o755);
    const run = spawnLabs(['verify', 'interactive', '--update', '--interactive', '--no-record'], dir, { ...env, EDITOR: editor, VISUAL: '' });

    let at = await run.waitFor(QUESTION);
    // The first hunk is shown as a diff of the page's line against the real one.
    expect(run.text()).toMatch(/01-drift\.mdx:8 {2}\$ printf 'alpha\\nbeta\\n'\n {2}alpha\n- BETA\n\+ beta\n/);
    run.type('a\r');
    at = await run.waitFor(QUESTION, at);
    expect(run.text().slice(at - 200)).toContain('- GAMMA\n+ gamma');
    run.type('s\r');
    at = await run.waitFor(QUESTION, at);
    run.type('e\r');
    expect(await run.exited).toBe(1); // the run drifted; the review does not change that

    expect(await readFile(file, 'utf8')).toBe(
      PAGE.replace('alpha\nBETA\n', 'alpha\nbeta\n') // accepted
        .replace("$ printf 'one\\ntwo\\n'\none\n", "$ printf 'one\\ntwo\\n'\none\n...\n"), // edited; gamma skipped
    );
    expect(run.text()).toContain('01-drift.mdx:16: left alone: skipped in review');
    expect(run.text()).toContain('01-drift.mdx: 2 command outputs rewritten');
    // What was written passes (the skipped block still drifts, and only it).
    const after = await execa(process.execPath, [join(ROOT, 'bin/labs.js'), 'verify', 'interactive', '--no-record'], { cwd: dir, reject: false, all: true, env: { NO_COLOR: '1', ...env } });
    expect(after.exitCode).toBe(1);
    expect(after.all).toMatch(/1 passed.*|2 passed/);
    expect(after.all).toContain('output of `echo gamma` drifted');
    expect(after.all).not.toContain("output of `printf 'one");
  });

  it('quit keeps what was accepted and writes nothing else', async () => {
    const { dir, file, env } = await fixture();
    const run = spawnLabs(['verify', 'interactive', '--update', '--interactive', '--no-record'], dir, env);
    const at = await run.waitFor(QUESTION);
    run.type('a\r');
    await run.waitFor(QUESTION, at);
    run.type('q\r');
    expect(await run.exited).toBe(1);
    expect(await readFile(file, 'utf8')).toBe(PAGE.replace('alpha\nBETA\n', 'alpha\nbeta\n'));
    expect(run.text()).toContain('01-drift.mdx:16: left alone: the review was ended before it');
    expect(run.text()).toContain('01-drift.mdx:21: left alone: the review was ended before it');
  });

  it('an edit that would change the page’s blocks is refused and asked again', async () => {
    const { dir, file, env } = await fixture();
    const editor = join(dir, 'editor.sh');
    await writeFile(editor, `#!/bin/sh\nprintf 'beta\\n$ rm -rf /tmp/x\\n' > "$1"\n`);
    await chmod(editor, 0o755);
    const run = spawnLabs(['verify', 'interactive', '--update', '--interactive', '--no-record'], dir, { ...env, EDITOR: editor, VISUAL: '' });
    let at = await run.waitFor(QUESTION);
    run.type('e\r');
    at = await run.waitFor(/not taken: the line "\$ rm -rf \/tmp\/x" would read as page syntax/, at);
    at = await run.waitFor(QUESTION, at);
    run.type('q\r');
    expect(await run.exited).toBe(1);
    expect(await readFile(file, 'utf8')).toBe(PAGE);
  });

  it('never shows a secret the new output holds, and does not write it when accepted', async () => {
    const { dir, env } = await fixture();
    const token = 'ghp_' + 'Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0';
    const page = '---\ntitle: Secret\n---\n\n```console\n$ printf \'%s\\n\' "$TOKEN"\nno token yet\n```\n';
    await writeFile(join(dir, 'interactive/01-drift.mdx'), page);
    const run = spawnLabs(['verify', 'interactive', '--update', '--interactive', '--no-record'], dir, { ...env, TOKEN: `token=${token}` });
    const at = await run.waitFor(QUESTION);
    expect(run.text()).toContain('+ token=[REDACTED]');
    run.type('a\r');
    expect(await run.exited).toBe(1);
    expect(run.text()).toContain('not rewritten: the new output holds a secret (github-token)');
    expect(run.text().slice(at)).not.toContain(token);
    expect(run.screen()).not.toContain(token);
    expect(await readFile(join(dir, 'interactive/01-drift.mdx'), 'utf8')).toBe(page);
  });

  it('refuses without a terminal on standard input, before running anything', async () => {
    const { dir, file, env } = await fixture();
    const r = await execa(process.execPath, [join(ROOT, 'bin/labs.js'), 'verify', 'interactive', '--update', '--interactive'], { cwd: dir, reject: false, all: true, input: 'a\n', env: { NO_COLOR: '1', ...env } });
    expect(r.exitCode).toBe(2);
    expect(r.all).toContain('standard input is not a terminal');
    expect(r.all).not.toContain('drifted');
    expect(await readFile(file, 'utf8')).toBe(PAGE);
  });

  it('refuses --interactive without --update', async () => {
    const { dir, env } = await fixture();
    const run = spawnLabs(['verify', 'interactive', '--interactive', '--no-record'], dir, env);
    expect(await run.exited).toBe(2);
    expect(run.text()).toContain('--interactive reviews the rewrites of --update: give both');
  });
});
