import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixtures, labs } from './helpers.ts';

describe('labs verify --update', () => {
  it('rewrites only the drifted output, keeps bound examples, and the next run passes', async () => {
    const dir = await copyFixtures('drifted');
    const file = join(dir, 'drifted/01-drift.mdx');
    const before = await readFile(file, 'utf8');
    const first = await labs(['verify', 'drifted', '--update'], dir);
    expect(first.exitCode).toBe(1);
    expect(first.all).toMatch(/01-drift\.mdx: 1 command output rewritten/);
    const after = await readFile(file, 'utf8');
    expect(after).not.toBe(before);
    // Everything outside the block's output is byte for byte the same.
    const [head, rest] = before.split("$ printf 'hello\\nworld\\nfrom 10.1.2.%s\\n' 3\n");
    expect(after.startsWith(head! + "$ printf 'hello\\nworld\\nfrom 10.1.2.%s\\n' 3\n")).toBe(true);
    expect(after.endsWith(rest!.slice(rest!.indexOf('```')))).toBe(true);
    expect(after).toContain('hello\nworld\nfrom 10.9.9.9\n```'); // the example IP stays: it was bound to 10.1.2.3
    const second = await labs(['verify', 'drifted'], dir);
    expect(second.exitCode).toBe(0);
  });
});
