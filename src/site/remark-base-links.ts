import type { Root } from 'mdast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';

/** Options of remarkBaseLinks. */
export interface RemarkBaseLinksOptions {
  /** The site's base path, e.g. `/k8s-networking-101`. @default "/" */
  base?: string;
}

/**
 * Prefixes root-relative links in content (`[step 2](/labs/pods/02-services/)`) with the site's
 * base path, so authors write links once and they work on GitHub Pages project sites too.
 * Links that already start with the base, protocol links and relative links are left alone.
 */
export const remarkBaseLinks: Plugin<[RemarkBaseLinksOptions?], Root> = (options = {}) => {
  const base = (options.base ?? '/').replace(/\/+$/, '');
  return (tree) => {
    if (!base) return;
    visit(tree, ['link', 'definition'], (node) => {
      const n = node as { url: string };
      n.url = prefixBase(n.url, base);
    });
  };
};

/** `/labs/x/` → `/base/labs/x/`; anything not root-relative, or already under the base, is unchanged. */
export function prefixBase(url: string, base: string): string {
  if (!base || !url.startsWith('/') || url.startsWith('//')) return url;
  if (url === base || url.startsWith(`${base}/`)) return url;
  return `${base}${url}`;
}
