import type { AstroIntegration } from 'astro';
import { formatProblem } from '../model/location.ts';
import { deckLabs, loadSite, type SiteContent } from './load-site.ts';
import { warnProblems } from './report-problems.ts';
import type { SiteConfig } from './site-config.ts';
import { collectBlockRows, countStates, formatStatusLine, strictProblems } from './site-status.ts';
import { recordsStamp, STAMP_PATH, watchRecords, type DevServerLike } from './dev-records.ts';

/** How often a page shown by the dev server asks for the records stamp, in case a reload message was lost. */
const STAMP_POLL_MS = 1000;

/**
 * Dev server only: a page that missed the reload a new record sent (it was loading then, or the
 * message was lost while its connection was renewed) asks for the current records stamp once
 * connected and then every second while it is shown, and reloads when it differs from the stamp
 * it was rendered with.
 */
const DEV_RELOAD_SCRIPT = `
const rendered = document.querySelector('meta[name="labs-records-stamp"]')?.content;
const check = () => fetch(${JSON.stringify(STAMP_PATH)}).then((r) => r.text()).then((now) => { if (rendered && now !== rendered) location.reload(); }, () => {});
check();
import.meta.hot?.on('vite:ws:connect', check);
setInterval(() => { if (document.visibilityState === 'visible') check(); }, ${STAMP_POLL_MS});
`;

const VIRTUAL_ID = 'virtual:labs-site/config';
const RESOLVED_ID = '\0' + VIRTUAL_ID;

/**
 * The site's own Astro integration:
 * - exposes the SiteConfig to pages as `virtual:labs-site/config`;
 * - the build gate: at build start it reads every lab and record, prints
 *   `labs: N blocks verified, M not yet verified, D drifted`, and in strict mode fails the build
 *   listing each drifted, stale or unrecorded block at its file:line. It never runs a command;
 * - under `astro dev`, follows `labs verify`: a new record, or a run's progress in
 *   `verification/.live/`, updates the lab's pages and the status page without a restart.
 */
export function labsSiteIntegration(config: SiteConfig, preloaded?: SiteContent): AstroIntegration {
  return {
    name: 'labs-site',
    hooks: {
      'astro:config:setup': ({ updateConfig, command, addMiddleware, injectScript }) => {
        // Runs in progress are shown by the dev server only (read through `config.live`).
        config.live = command === 'dev';
        if (command === 'dev') {
          addMiddleware({ entrypoint: new URL('./dev-middleware.ts', import.meta.url), order: 'post' });
          injectScript('page', DEV_RELOAD_SCRIPT);
        }
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'labs-site-config',
                resolveId: (id: string) => (id === VIRTUAL_ID ? RESOLVED_ID : undefined),
                load: (id: string) => (id === RESOLVED_ID ? `export default ${JSON.stringify(config)};` : undefined),
              },
            ],
          },
        });
      },
      'astro:server:setup': ({ server, logger }) => {
        const stop = watchRecords(server as unknown as DevServerLike, {
          roots: config.roots,
          onReload: (labs) => logger.info(`verification changed${labs.length > 0 ? ` (${labs.join(', ')})` : ''}: reloading`),
        });
        server.httpServer?.once('close', stop);
        server.middlewares.use(STAMP_PATH, (_req, res) => {
          void recordsStamp(config.roots).then((stamp) => {
            res.setHeader('content-type', 'text/plain');
            res.setHeader('cache-control', 'no-store');
            res.end(stamp);
          });
        });
      },
      'astro:build:start': async ({ logger }) => {
        const site = preloaded ?? (await loadSite(config.roots));
        warnProblems(site.problems, (line) => logger.warn(line));
        const decks = deckLabs(site);
        const rows = [...site.labs, ...decks].flatMap(collectBlockRows);
        logger.info(formatStatusLine(countStates(rows), site.labs.length, decks.length));
        if (!config.strict) return;
        const problems = strictProblems(rows);
        if (problems.length === 0) return;
        for (const p of problems) logger.error(formatProblem(p));
        throw new Error(`LABS_STRICT: ${problems.length} block${problems.length === 1 ? ' is' : 's are'} drifted or changed since their last run (listed above)`);
      },
    },
  };
}
