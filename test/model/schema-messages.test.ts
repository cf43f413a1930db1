// Kept apart from schema-build.test.ts, which loads zod's full build: that build switches on the
// English messages for every zod schema in the process, and would hide the small build's lack of
// them. Here only the project's schemas are loaded.
import { expect, it } from 'vitest';
import { LabConfigSchema } from '../../src/model/lab.ts';
import { readDeckMeta } from '../../src/slides/deck-meta.ts';

it('lab.yaml and deck problems carry zod’s English messages, not a bare "Invalid input"', () => {
  const r = LabConfigSchema.safeParse({ target: 'local', sessions: { '1x': { prompt: '$ ' } } });
  expect(r.success).toBe(false);
  expect(r.error?.issues.map((i) => i.message)).toEqual(['Invalid input: expected string, received undefined', 'Invalid key in record']);
  expect(readDeckMeta({ title: 3 }, 'd.mdx').problems.map((p) => p.message)).toEqual(['frontmatter title: Invalid input: expected string, received number']);
});
