import { bundledLanguages, createHighlighter, type BundledLanguage, type Highlighter } from 'shiki';
import type { CodeToken } from './view-model.ts';

/** The two themes the site's blocks use; the page's `data-theme` picks one with CSS. */
export const THEMES = { light: 'github-light-default', dark: 'github-dark-default' } as const;

/** Highlights code into lines of coloured tokens. */
export type HighlightCode = (code: string, lang: string) => Promise<CodeToken[][]>;

let highlighter: Promise<Highlighter> | undefined;

/** One highlighter per process: creating it loads grammars and costs far more than highlighting. */
function getHighlighter(): Promise<Highlighter> {
  highlighter ??= createHighlighter({ themes: [THEMES.light, THEMES.dark], langs: ['bash'] });
  return highlighter;
}

/** Languages the site maps to shiki's names. */
const ALIASES: Record<string, string> = { console: 'bash', shell: 'bash', sh: 'bash', zsh: 'bash', conf: 'ini', text: 'text', txt: 'text' };

/**
 * Highlights code with shiki at build time, with both themes as CSS custom properties
 * (`--shiki-light`, `--shiki-dark`), so dark mode needs no second copy of the markup.
 * Unknown languages come back as plain text, one token per line.
 */
export const highlightCode: HighlightCode = async (code, lang) => {
  const name = ALIASES[lang] ?? lang;
  if (name === 'text' || !(name in bundledLanguages)) return code.split('\n').map((text) => (text ? [{ text }] : []));
  const h = await getHighlighter();
  const grammar = name as BundledLanguage;
  if (!h.getLoadedLanguages().includes(grammar)) await h.loadLanguage(grammar);
  const { tokens } = h.codeToTokens(code, { lang: grammar, themes: THEMES, defaultColor: false });
  return tokens.map((line) => mergeTokens(line.map((t) => ({ text: t.content, style: styleOf(t.htmlStyle) }))));
};

function styleOf(style: Record<string, string> | string | undefined): string | undefined {
  if (!style) return undefined;
  if (typeof style === 'string') return style;
  const css = Object.entries(style)
    .map(([k, v]) => `${k}:${v}`)
    .join(';');
  return css || undefined;
}

/** Joins neighbouring tokens of the same colour: fewer spans, same look. */
export function mergeTokens(tokens: CodeToken[]): CodeToken[] {
  const out: CodeToken[] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (last && last.style === t.style) last.text += t.text;
    else out.push({ ...t });
  }
  return out;
}
