import { cp, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scaffoldLab, ScaffoldError } from '../../src/cli/scaffold.ts';
import { copyFixtures, labs, ROOT } from './helpers.ts';

describe('labs new (scaffold)', () => {
  it('makes a local lab that checks and passes as written', async () => {
    const dir = await copyFixtures();
    const made = await scaffoldLab(dir, 'my-first-lab', 'local');
    expect(made.files).toEqual(['content/labs/my-first-lab/lab.yaml', 'content/labs/my-first-lab/01-first-step.mdx']);
    expect((await labs(['check', 'content/labs/my-first-lab'], dir)).exitCode).toBe(0);
    const run = await labs(['verify', 'content/labs/my-first-lab', '--no-record'], dir);
    expect(run.all).toMatch(/3 passed in/);
    expect(run.exitCode).toBe(0);
  });

  it('makes a kind lab that checks cleanly, pinned to the project’s tools', async () => {
    const dir = await copyFixtures();
    await cp(join(ROOT, 'tools.json'), join(dir, 'tools.json'));
    await scaffoldLab(dir, 'on-kind', 'kind');
    const yaml = await readFile(join(dir, 'content/labs/on-kind/lab.yaml'), 'utf8');
    const pinned = JSON.parse(await readFile(join(ROOT, 'tools.json'), 'utf8')).tools.kubectl.version;
    expect(yaml).toContain(`kubectl: ${pinned}`);
    expect((await labs(['check', 'content/labs/on-kind'], dir)).exitCode).toBe(0);
  });

  it('never overwrites, and refuses an id that is not a folder name', async () => {
    const dir = await copyFixtures();
    await mkdir(join(dir, 'content/labs/taken'), { recursive: true });
    await expect(scaffoldLab(dir, 'taken', 'local')).rejects.toThrow(ScaffoldError);
    await expect(scaffoldLab(dir, 'Bad Id', 'local')).rejects.toThrow('"Bad Id" is not a lab id');
  });
});

describe('labs new (command)', () => {
  it('creates the lab and says what to run next; a second time it refuses with exit 2', async () => {
    const dir = await copyFixtures();
    const first = await labs(['new', 'hello-lab'], dir);
    expect(first.exitCode).toBe(0);
    expect(first.all).toContain('created content/labs/hello-lab/lab.yaml');
    expect(first.all).toContain('next: npx labs verify content/labs/hello-lab');
    const again = await labs(['new', 'hello-lab'], dir);
    expect(again.exitCode).toBe(2);
    expect(again.all).toContain('labs new: content/labs/hello-lab already exists');
  });
});
