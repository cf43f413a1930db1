import path from 'node:path';

/** The site's settings, read from the environment (so CI and GitHub Pages need no file edits). */
export interface SiteConfig {
  /** The repository root. */
  projectRoot: string;
  /**
   * Project roots whose `content/`, `verification/` and `slides/` make the site: the repo first,
   * then `LABS_CONTENT_EXTRA`; or only `LABS_CONTENT_ROOTS` when that is set (tests that must
   * not depend on the repo's own labs).
   */
  roots: string[];
  /** `SITE_BASE`, normalised to `/` or `/name` (no trailing slash), e.g. `/k8s-networking-101` for a GitHub Pages project site. */
  base: string;
  /** `SITE_URL`, the deployed origin (e.g. `https://user.github.io`); enables the sitemap and canonical links. */
  site?: string;
  /** `LABS_STRICT=1`: a drifted or stale block fails the build. */
  strict: boolean;
  /**
   * Show `labs verify` runs in progress (`verification/.live/`). Set by the site's integration for
   * `astro dev` only, never from the environment: a build must not depend on a run that is going.
   */
  live?: boolean;
}

/**
 * Reads SITE_BASE, SITE_URL, LABS_STRICT, LABS_CONTENT_EXTRA and LABS_CONTENT_ROOTS. The last two
 * list project roots (separated by `path.delimiter`), each laid out like the repo
 * (`content/labs/…`, `verification/…`); they must sit inside the repo because one content loader
 * reads them all. EXTRA adds to the repo's content, ROOTS replaces it.
 */
export function readSiteConfig(env: Record<string, string | undefined>, projectRoot: string): SiteConfig {
  const only = env.LABS_CONTENT_ROOTS?.trim();
  const roots = only ? listRoots('LABS_CONTENT_ROOTS', only, projectRoot) : [projectRoot, ...listRoots('LABS_CONTENT_EXTRA', env.LABS_CONTENT_EXTRA ?? '', projectRoot)];
  const config: SiteConfig = { projectRoot, roots, base: normaliseBase(env.SITE_BASE), strict: /^(1|true|yes)$/i.test(env.LABS_STRICT ?? '') };
  const site = env.SITE_URL?.trim();
  if (site) config.site = site.replace(/\/+$/, '');
  return config;
}

function listRoots(name: string, value: string, projectRoot: string): string[] {
  const roots = value
    .split(path.delimiter)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => path.resolve(projectRoot, p));
  for (const root of roots) {
    const rel = path.relative(projectRoot, root);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new Error(`${name}: ${root} is outside the project ${projectRoot} — put extra content inside the repository (e.g. test/fixtures/site/project)`);
    }
  }
  return roots;
}

/** `k8s/` → `/k8s`, `` → `/`. */
export function normaliseBase(base: string | undefined): string {
  const trimmed = (base ?? '').trim().replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}` : '/';
}

/** Joins the base and a route: `withBase('/k8s', 'labs/x/')` → `/k8s/labs/x/`. */
export function withBase(base: string, route: string): string {
  const b = base === '/' ? '' : base.replace(/\/+$/, '');
  const r = route.replace(/^\/+/, '');
  return `${b}/${r}`;
}

/** Glob patterns (relative to the repo root) of every content page of every root, for Astro's content loader. */
export function contentPatterns(config: Pick<SiteConfig, 'projectRoot' | 'roots'>): string[] {
  return config.roots.flatMap((root) => {
    const rel = path.relative(config.projectRoot, root).split(path.sep).join('/');
    const at = rel ? `${rel}/content` : 'content';
    // Steps are NN-name files directly in their lab folder; `_`-files are partials.
    return [`${at}/labs/*/[0-9]*.{md,mdx}`, `${at}/concepts/[^_]*.{md,mdx}`, `${at}/docs/[^_]*.{md,mdx}`];
  });
}

/** Entry id (and so the route) of a content file: `…/content/labs/x/01-a.mdx` → `labs/x/01-a`. */
export function contentEntryId(entry: string): string {
  return entry.replace(/^(?:.*?\/)?content\//, '').replace(/\.mdx?$/, '');
}
