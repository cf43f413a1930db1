import { LineCounter, parseDocument } from 'yaml';
import { didYouMean, type Problem } from '../model/location.ts';
import { splitFrontmatter } from './frontmatter.ts';
import { makeProblem } from './problem.ts';
import { locateYaml } from './yaml-locate.ts';

/**
 * Frontmatter keys a step page may use: the page's own (`title`, `description`) and the page
 * options of the docs theme the site is built with.
 */
export const STEP_FRONTMATTER_KEYS = [
  'title',
  'description',
  'sidebar',
  'slug',
  'template',
  'hero',
  'head',
  'tableOfContents',
  'lastUpdated',
  'prev',
  'next',
  'pagefind',
  'draft',
  'banner',
  'editUrl',
] as const;

/** An unknown frontmatter key of a step page, at its line, with a did-you-mean (a typo such as `titel:` would silently drop the title). */
export function checkStepFrontmatter(source: string, file: string): Problem[] {
  const front = splitFrontmatter(source, file);
  if (front.yaml === undefined || front.problems.length > 0) return [];
  const data = front.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return [];
  const unknown = Object.keys(data).filter((k) => !(STEP_FRONTMATTER_KEYS as readonly string[]).includes(k));
  if (unknown.length === 0) return [];
  const counter = new LineCounter();
  const doc = parseDocument(front.yaml, { lineCounter: counter });
  return unknown.map((key) => {
    const guess = didYouMean(key, [...STEP_FRONTMATTER_KEYS]);
    return makeProblem('parse', locateYaml(doc, counter, file, [key], 'key'), `unknown frontmatter key "${key}"`, guess ? `did you mean "${guess}"?` : `a step page's frontmatter takes ${STEP_FRONTMATTER_KEYS.slice(0, 2).join(' and ')} (and the site's page options: ${STEP_FRONTMATTER_KEYS.slice(2).join(', ')})`);
  });
}
