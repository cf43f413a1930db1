import type { SiteContent } from './load-site.ts';

/** A Starlight sidebar entry (the subset the site uses). */
export type SidebarEntry =
  | { label: string; link: string; attrs?: Record<string, string> }
  | { slug: string; label?: string }
  | { label: string; items: SidebarEntry[]; collapsed?: boolean };

/**
 * The sidebar: Labs (each lab's overview and steps, in run order), Concepts, Slides (only when
 * a deck exists), Docs (with the status page). Built from the content scan rather than
 * Starlight's `autogenerate`, which assumes the content sits in `src/content/docs`.
 * Empty groups are left out, so a site with no labs yet still builds.
 */
export function buildSidebar(site: Pick<SiteContent, 'labs' | 'concepts' | 'docs' | 'decks'>): SidebarEntry[] {
  const groups: { label: string; items: SidebarEntry[]; collapsed?: boolean }[] = [
    {
      label: 'Labs',
      items: site.labs.map((lab) => ({
        label: lab.title,
        collapsed: site.labs.length > 3,
        items: [{ label: 'Overview', link: `/labs/${lab.id}/` }, ...lab.steps.map((s) => ({ slug: s.route }))],
      })),
    },
    { label: 'Concepts', items: site.concepts.map((c) => ({ slug: c.route })) },
    { label: 'Slides', items: site.decks.map((d) => ({ label: d.title, link: `/slides/${d.name}/` })) },
    { label: 'Docs', items: [...site.docs.map((d) => ({ slug: d.route })), { label: 'Verification status', link: '/status/' }] },
  ];
  return groups.filter((g) => g.items.length > 0);
}
