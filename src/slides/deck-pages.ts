/** What the per-deck pages (/slides/<deck>/, …/presenter/, …/print/) share: one page per deck. */
import type { SiteConfig } from '../site/site-config.ts';
import { loadDecks, type Deck } from './decks.ts';

/** Props of a per-deck page. */
export interface DeckPageProps {
  deck: Deck;
}

/** `getStaticPaths` of a per-deck page: one page per deck, named after it, with the deck as its prop. */
export function listDeckPaths(config: Pick<SiteConfig, 'roots' | 'projectRoot'>): { params: { deck: string }; props: DeckPageProps }[] {
  return loadDecks(config).map((deck) => ({ params: { deck: deck.name }, props: { deck } }));
}

/** The deck's compiled MDX body, as a component a page renders. */
export function deckContent(deck: Deck): (props: Record<string, unknown>) => unknown {
  return deck.module.default as (props: Record<string, unknown>) => unknown;
}
