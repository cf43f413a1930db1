import path from 'node:path';

/** Where a content file sits in the project: which root, which section, which lab. */
export interface ContentLocation {
  /** Project root holding the file's `content/` folder (the repo, or an extra root such as a test fixture). */
  root: string;
  /** Path relative to the root, with `/` separators, e.g. `content/labs/pods/01-pods.mdx`. */
  file: string;
  /** `slides`: a deck, `slides/<deck>.mdx`; its blocks' record is `verification/slides-<deck>.json`. */
  section: 'labs' | 'concepts' | 'docs' | 'slides';
  /** Lab folder name, for step files. */
  labId?: string;
  /** Lab folder (absolute), for step files. */
  labDir?: string;
  /** File name without extension. */
  slug: string;
}

/**
 * Locates an absolute file path under one of the project roots. Returns undefined for files
 * outside every root's `content/labs`, `content/concepts`, `content/docs` and `slides/` (Starlight's own
 * pages, components, anything else), which the site's remark plugin then leaves alone.
 */
export function locateContent(absPath: string, roots: readonly string[]): ContentLocation | undefined {
  const normal = path.resolve(absPath);
  for (const root of roots) {
    const rel = path.relative(path.resolve(root), normal).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const deck = /^slides\/([^/]+)\.mdx$/.exec(rel);
    if (deck) return { root, file: rel, section: 'slides', slug: deck[1]! };
    const m = /^content\/(labs|concepts|docs)\/(.+)\.mdx?$/.exec(rel);
    if (!m) continue;
    const section = m[1] as ContentLocation['section'];
    const rest = m[2]!;
    const slug = rest.slice(rest.lastIndexOf('/') + 1);
    if (section === 'labs') {
      const parts = rest.split('/');
      if (parts.length !== 2) continue; // steps sit directly in their lab folder
      const labId = parts[0]!;
      return { root, file: rel, section, labId, labDir: path.join(root, 'content', 'labs', labId), slug };
    }
    return { root, file: rel, section, slug };
  }
  return undefined;
}
