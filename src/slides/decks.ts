/// <reference types="astro/client" />
import { formatProblem } from '../model/location.ts';
import type { SiteConfig } from '../site/site-config.ts';
import { readDeckMeta, type DeckMeta, type DeckModule } from './deck-meta.ts';

/** A deck ready for its pages: name (the file name), metadata, compiled content and slide list. */
export interface Deck {
  name: string;
  meta: DeckMeta;
  module: DeckModule;
}

/**
 * Every `slides/*.mdx` of the repository, compiled through the site's Markdown pipeline
 * (remark-slides and the command blocks). Vite resolves the glob at build time. A site built
 * from other content roots only (LABS_CONTENT_ROOTS) has no decks, like it has no repo labs.
 */
export function loadDecks(config: Pick<SiteConfig, 'roots' | 'projectRoot'>): Deck[] {
  if (!config.roots.includes(config.projectRoot)) return [];
  const modules = import.meta.glob<DeckModule>('/slides/*.mdx', { eager: true });
  return Object.entries(modules)
    .map(([file, module]) => {
      const shown = file.replace(/^\//, '');
      const { meta, problems } = readDeckMeta(module.frontmatter, shown);
      if (!meta) throw new Error(problems.map(formatProblem).join('\n'));
      return { name: shown.replace(/^slides\//, '').replace(/\.mdx$/, ''), meta, module };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
