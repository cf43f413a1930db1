import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkSessionCwd, writeFileInside, WorkFolderError } from '../../src/run/work-folder.ts';

let base: string;
let root: string;
let outside: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'labs-work-folder-test-'));
  root = join(base, 'work');
  outside = join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('writeFileInside', () => {
  it('writes below the session cwd, creating folders', async () => {
    await writeFileInside(root, root, 'a/b/c.yaml', 'kind: Pod\n');
    expect(readFileSync(join(root, 'a/b/c.yaml'), 'utf8')).toBe('kind: Pod\n');
  });

  it('refuses a folder on the way that is a symlink out of the work folder', async () => {
    await symlink(outside, join(root, 'out'));
    await expect(writeFileInside(root, root, 'out/x.yaml', 'x')).rejects.toThrow(/out is a symlink/);
    expect(existsSync(join(outside, 'x.yaml'))).toBe(false);
  });

  it('refuses a file that is a symlink, even to a place inside', async () => {
    await symlink(join(outside, 'victim'), join(root, 'x.yaml'));
    await expect(writeFileInside(root, root, 'x.yaml', 'x')).rejects.toThrow(WorkFolderError);
    expect(existsSync(join(outside, 'victim'))).toBe(false);
  });

  it('refuses to write when the shell has left the work folder', async () => {
    await expect(writeFileInside(root, outside, 'x.yaml', 'x')).rejects.toThrow(/outside the lab's work folder/);
    expect(existsSync(join(outside, 'x.yaml'))).toBe(false);
  });
});

describe('checkSessionCwd', () => {
  it('accepts a folder inside and names a missing one with what to do', async () => {
    await mkdir(join(root, 'sub'));
    await expect(checkSessionCwd(root, join(root, 'sub'), 's')).resolves.toBeUndefined();
    await expect(checkSessionCwd(root, join(root, 'nope'), 's')).rejects.toThrow('session s: its working directory nope (cwd: in lab.yaml) does not exist in the work folder; create it in an earlier block (mkdir -p nope)');
  });

  it('refuses a cwd that a symlink leads out of the work folder', async () => {
    await symlink(outside, join(root, 'sub'));
    await expect(checkSessionCwd(root, join(root, 'sub'), 's')).rejects.toThrow(/outside the lab's work folder/);
  });
});
