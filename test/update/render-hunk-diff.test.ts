import { describe, expect, it } from 'vitest';
import { renderHunkDiff } from '../../src/update/interactive-review.ts';

describe('renderHunkDiff', () => {
  it('marks removed and added lines and keeps short unchanged runs', () => {
    expect(renderHunkDiff(['a', 'B', 'c'], ['a', 'b', 'c'])).toBe('  a\n- B\n+ b\n  c');
  });

  it('folds a long unchanged run, keeping three lines of context on each side of a change', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const after = [...before];
    after[0] = 'first changed';
    after[19] = 'last changed';
    const text = renderHunkDiff(before, after);
    expect(text.split('\n')).toEqual(['- line 1', '+ first changed', '  line 2', '  line 3', '  line 4', '  … 12 unchanged lines', '  line 17', '  line 18', '  line 19', '- line 20', '+ last changed']);
  });

  it('says so when both sides are empty', () => {
    expect(renderHunkDiff([], [])).toBe('  (no output either way)');
  });
});
