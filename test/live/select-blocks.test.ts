import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/parse/load-lab.ts';
import { allBlocks, blockRange, closeIds, findBlock, labOfBlocks, labUpTo, parseBlockRef } from '../../src/live/select-blocks.ts';

const dir = resolve(import.meta.dirname, 'fixtures/live-lab');
const lab = (await loadLab(dir)).lab!;
const ids = (l: typeof lab) => allBlocks(l).map((b) => b.id);

describe('choosing blocks for labs run', () => {
  it('reads an id or file:line', () => {
    expect(parseBlockRef('use-var', (p) => `/abs/${p}`)).toEqual({ id: 'use-var' });
    expect(parseBlockRef('lab/01-state.mdx:14', (p) => `/abs/${p}`)).toEqual({ file: 'lab/01-state.mdx', absPath: '/abs/lab/01-state.mdx', line: 14 });
  });

  it('finds a block by id, or by any line from its opening to its closing fence', () => {
    const byId = findBlock(lab, { id: 'use-var' });
    expect('block' in byId && byId.block.line).toBe(12);
    const file = join(dir, '01-state.mdx');
    for (const line of [12, 13, 14, 15]) {
      const r = findBlock(lab, { file, absPath: file, line });
      expect('block' in r && r.block.id).toBe('use-var');
    }
    const outside = findBlock(lab, { file, absPath: file, line: 11 });
    expect(outside).toEqual({ message: `${lab.steps[0]!.file}:11 is not inside a block`, hint: expect.stringContaining('7, 12') });
  });

  it('names the ids close to an unknown one', () => {
    const r = findBlock(lab, { id: 'check-jbo' });
    expect('message' in r && r.hint).toContain('did you mean "check-job"?');
    expect(closeIds('zzz', ids(lab))).toContain('labs list');
  });

  it('cuts the lab to a range, or up to a block', () => {
    const [a, b, c, d] = allBlocks(lab);
    const range = blockRange(lab, b!, c!);
    expect(Array.isArray(range) && range.map((x) => x.id)).toEqual(['use-var', 'long-job']);
    expect(blockRange(lab, c!, a!)).toHaveProperty('message');
    const only = labOfBlocks(lab, [b!, d!], { setup: [] });
    expect(ids(only)).toEqual(['use-var', 'check-job']);
    expect(only.steps.map((s) => s.blocks.length)).toEqual([1, 1]);
    expect(only.config.setup).toEqual([]);
    expect(lab.config.setup?.length).toBe(1);
    expect(ids(labUpTo(lab, c!))).toEqual(['set-var', 'use-var', 'long-job']);
  });
});
