import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/site/load-site.ts';
import { collectBlockRows } from '../../src/site/site-status.ts';
import { slideAt, slideStartLines } from '../../src/slides/split-slides.ts';

const PROJECT = path.resolve(import.meta.dirname, '../fixtures/cli/decks');

describe('decks on the status page', () => {
  it('loads each deck as a lab of one step whose blocks link to their slide', async () => {
    const site = await loadSite([PROJECT]);
    expect(site.problems).toEqual([]);
    const talk = site.decks.find((d) => d.name === 'talk')!;
    expect(talk.lab).toMatchObject({ id: 'slides-talk', title: 'A talk with live blocks', target: 'local' });
    const rows = collectBlockRows(talk.lab!);
    expect(rows.map((r) => [r.id, r.href, r.state])).toEqual([
      ['talk-1', 'slides/talk/#/1', 'missing'],
      ['talk-2', 'slides/talk/#/2', 'missing'],
      ['talk-3', 'slides/talk/#/2', 'skipped'],
    ]);
    // Decks never show up as labs (no lab pages are built for them).
    expect(site.labs.map((l) => l.id)).toEqual(['helper']);
  });

  it('finds slide starts at --- breaks and <Slide> elements, past the frontmatter', () => {
    const source = ['---', 'title: T', '---', '', '# One', '', '---', '', '<Slide layout="code">', '# Two', '</Slide>', '', '# Three', ''].join('\n');
    const starts = slideStartLines(source, 'slides/t.mdx');
    expect(starts).toEqual([5, 9, 13]);
    expect([1, 5, 8, 9, 12, 13, 40].map((l) => slideAt(starts, l))).toEqual([1, 1, 1, 2, 2, 3, 3]);
  });
});
