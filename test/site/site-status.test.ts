import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/site/load-site.ts';
import { collectBlockRows, countStates, formatStatusLine, strictProblems } from '../../src/site/site-status.ts';
import { formatProblem } from '../../src/model/location.ts';
import { FIXTURE_ROOT } from '../fixtures/site/make-records.ts';

describe('site status of the fixture lab', async () => {
  const site = await loadSite([FIXTURE_ROOT]);
  const lab = site.labs[0]!;
  const rows = collectBlockRows(lab);

  it('loads the lab with its steps, titles, descriptions and record', () => {
    expect(site.labs.map((l) => l.id)).toEqual(['netns-basics']);
    expect(lab.steps.map((s) => [s.route, s.title])).toEqual([
      ['labs/netns-basics/01-namespaces', 'Make a namespace'],
      ['labs/netns-basics/02-services', 'Look at a Service'],
    ]);
    expect(lab.steps[0]!.description).toBe('Create a network namespace and look inside it.');
    expect(lab.record?.lab).toBe('netns-basics');
    expect(site.concepts.map((c) => c.route)).toEqual(['concepts/namespaces']);
    expect(site.problems).toEqual([]);
  });

  it('gives each block a state, a source and a link to its anchor', () => {
    expect(rows.map((r) => `${r.id}:${r.state}`)).toEqual([
      '01-namespaces-1:verified',
      'make-veth:verified',
      '01-namespaces-3:skipped',
      '01-namespaces-4:flaky',
      '01-namespaces-5:verified',
      '01-namespaces-6:stale',
      '02-services-1:verified',
      '02-services-2:verified',
      '02-services-3:drifted',
      '02-services-4:missing',
      '02-services-5:missing',
    ]);
    expect(rows[1]).toMatchObject({ source: 'content/labs/netns-basics/01-namespaces.mdx:18', href: 'labs/netns-basics/01-namespaces/#block-make-veth', summary: 'sudo ip link add veth-host type veth \\' });
    expect(rows[4]!.summary).toBe('red.conf');
  });

  it('counts and prints the build line', () => {
    const c = countStates(rows);
    expect(c).toMatchObject({ total: 11, verified: 6, flaky: 1, drifted: 1, unverified: 3, stale: 1, missing: 2, skipped: 1 });
    expect(formatStatusLine(c, 1)).toBe('labs: 6 blocks verified, 3 not yet verified, 1 drifted (1 flaky, 1 skipped) in 1 lab');
  });

  it('fails strict builds on drifted and stale blocks at their file:line, never on unrecorded ones', () => {
    const lines = strictProblems(rows).map(formatProblem);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^content\/labs\/netns-basics\/01-namespaces\.mdx:52:1 block changed since it was last verified \(id 01-namespaces-6\)/);
    expect(lines[1]).toMatch(/^content\/labs\/netns-basics\/02-services\.mdx:\d+:1 block drifted/);
    expect(rows.some((r) => r.state === 'missing')).toBe(true);
  });
});

describe('formatStatusLine', () => {
  it('speaks in singular and leaves zero extras out', () => {
    expect(formatStatusLine(countStates([{ state: 'verified' }]), 1)).toBe('labs: 1 block verified, 0 not yet verified, 0 drifted in 1 lab');
    expect(formatStatusLine(countStates([]), 0)).toBe('labs: 0 blocks verified, 0 not yet verified, 0 drifted in 0 labs');
  });
  it('has nothing to fail on for verified, flaky and skipped blocks', () => {
    expect(strictProblems([{ state: 'verified' }, { state: 'flaky' }, { state: 'skipped' }] as never)).toEqual([]);
  });
});

describe('loadSite with no content', () => {
  it('builds an empty site from a root without content', async () => {
    const site = await loadSite([import.meta.dirname]);
    expect(site).toMatchObject({ labs: [], concepts: [], docs: [], decks: [], problems: [] });
  });
});
