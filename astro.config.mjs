// @ts-check
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import { readSiteConfig } from './src/site/site-config.ts';
import { loadSite } from './src/site/load-site.ts';
import { buildSidebar } from './src/site/sidebar.ts';
import { labsSiteIntegration } from './src/site/integration.ts';
import { remarkCommandBlocks } from './src/site/remark-command-blocks.ts';
import { remarkBaseLinks } from './src/site/remark-base-links.ts';
import { remarkSlides } from './src/slides/remark-slides.ts';

// Environment: SITE_BASE, SITE_URL (GitHub Pages), LABS_STRICT=1 (fail on drift), LABS_CONTENT_EXTRA
// (extra project roots such as test/fixtures/site/project). See content/docs/writing-a-lab.mdx.
const projectRoot = fileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, '');
const config = readSiteConfig(process.env, projectRoot);
const site = await loadSite(config.roots);

export default defineConfig({
  root: projectRoot,
  base: config.base,
  ...(config.site ? { site: config.site } : {}),
  trailingSlash: 'ignore',
  // Astro 7's default Markdown processor (Sätteri) runs no remark plugins: unified() is what
  // makes remark-command-blocks run, for .md and (through @astrojs/mdx 8) for .mdx alike.
  markdown: {
    processor: unified({
      remarkPlugins: [
        // `live`: the integration turns it on for `astro dev`, to show `labs verify` runs in progress.
        [remarkCommandBlocks, { roots: config.roots, live: () => config.live === true }],
        [remarkBaseLinks, { base: config.base }],
        // After the command blocks: splits slides/<deck>.mdx into slides and numbers their steps.
        [remarkSlides, { roots: config.roots }],
      ],
    }),
  },
  vite: {
    build: {
      rolldownOptions: {
        // Every MDX page triggers this about Astro's own "use astro:head-inject" marker; it is
        // noise that buries the build's real output (the labs line, content problems).
        onLog(level, log, handler) {
          if (log.code === 'MODULE_LEVEL_DIRECTIVE' && log.message.includes('astro:head-inject')) return;
          handler(level, log);
        },
      },
    },
  },
  integrations: [
    labsSiteIntegration(config, site),
    starlight({
      title: 'Kubernetes Networking 101',
      description: 'A hands-on lab whose every terminal block is run and checked.',
      // Content lives at the top of the repo (content/), not in src/content/docs.
      markdown: { processedDirs: config.roots.map((r) => `${r}/content/`) },
      sidebar: buildSidebar(site),
      customCss: ['./src/styles/labs.css', './src/styles/print.css'],
      components: { Search: './src/components/Search.astro' },
      disable404Route: true,
      lastUpdated: false,
      pagination: true,
      expressiveCode: { themes: ['github-dark-default', 'github-light-default'] },
    }),
    mdx(),
  ],
});
