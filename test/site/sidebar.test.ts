import { describe, expect, it } from 'vitest';
import { buildSidebar } from '../../src/site/sidebar.ts';
import type { SiteLab } from '../../src/site/load-site.ts';

const lab = (id: string): SiteLab => ({
  id,
  root: '/r',
  title: `Lab ${id}`,
  target: 'kind',
  tools: {},
  config: { title: `Lab ${id}`, target: 'kind' },
  steps: [{ slug: '01-a', file: `content/labs/${id}/01-a.mdx`, title: 'A', route: `labs/${id}/01-a`, blocks: [] }],
});

describe('buildSidebar', () => {
  it('lists labs with an overview and their steps, then concepts and docs with the status page', () => {
    const bar = buildSidebar({ labs: [lab('pods')], concepts: [{ slug: 'dns', file: '', title: 'DNS', route: 'concepts/dns' }], docs: [], decks: [] });
    expect(bar).toEqual([
      { label: 'Labs', items: [{ label: 'Lab pods', collapsed: false, items: [{ label: 'Overview', link: '/labs/pods/' }, { slug: 'labs/pods/01-a' }] }] },
      { label: 'Concepts', items: [{ slug: 'concepts/dns' }] },
      { label: 'Docs', items: [{ label: 'Verification status', link: '/status/' }] },
    ]);
  });
  it('works with no labs and shows slides only when a deck exists', () => {
    const empty = buildSidebar({ labs: [], concepts: [], docs: [], decks: [] });
    expect(empty.map((g) => ('label' in g ? g.label : ''))).toEqual(['Docs']);
    const withDeck = buildSidebar({ labs: [], concepts: [], docs: [], decks: [{ name: 'kubecon', title: 'The KubeCon talk' }] });
    expect(withDeck[0]).toEqual({ label: 'Slides', items: [{ label: 'The KubeCon talk', link: '/slides/kubecon/' }] });
  });
});
