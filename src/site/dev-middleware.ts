import type { MiddlewareHandler } from 'astro';
import config from 'virtual:labs-site/config';
import { recordsStamp } from './dev-records.ts';

/**
 * Dev server only (the integration registers it for `astro dev`): puts the records stamp of the
 * moment a page starts rendering into its head, for the check in `DEV_RELOAD_SCRIPT`. Taken
 * before rendering, so a record written during the render makes the page reload again.
 */
export const onRequest: MiddlewareHandler = async (_context, next) => {
  const stamp = await recordsStamp(config.roots);
  const response = await next();
  if (!response.headers.get('content-type')?.includes('text/html')) return response;
  const html = await response.text();
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(html.replace('</head>', `<meta name="labs-records-stamp" content="${stamp}"></head>`), { status: response.status, statusText: response.statusText, headers });
};
