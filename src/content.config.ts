/// <reference types="astro/client" />
import { fileURLToPath } from 'node:url';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { contentEntryId, contentPatterns, readSiteConfig } from './site/site-config.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const config = readSiteConfig(process.env, projectRoot);

/**
 * Starlight's `docs` collection, read from the top-level `content/` folder (and any
 * LABS_CONTENT_EXTRA roots) instead of `src/content/docs`. One glob loader over the repo root
 * with a pattern per root; entry ids drop everything up to `content/`, so
 * `content/labs/<lab>/<step>.mdx` is served at `/labs/<lab>/<step>/`.
 */
export const collections = {
  docs: defineCollection({
    loader: glob({ base: projectRoot, pattern: contentPatterns(config), generateId: ({ entry }) => contentEntryId(entry) }),
    schema: docsSchema(),
  }),
};
