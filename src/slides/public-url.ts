/**
 * Where a page of the site lives once deployed, for what leaves the browser: the QR codes and
 * short URLs on slides, and the links of an exported PDF (a link to 127.0.0.1 is dead for anyone
 * who downloads the deck). Built from the site's own settings, SITE_URL and SITE_BASE.
 */
import { encode } from 'uqr';

/**
 * The public URL of `route` (a site route with or without the base, e.g. `labs/x/` or
 * `/k8s/labs/x/`), or undefined when the site has no public URL. `site` may already hold the base
 * path (GitHub Pages' `base_url` is `https://user.github.io/repo`); it is never added twice.
 */
export function publicUrl(site: string | undefined, base: string, route: string): string | undefined {
  if (!site) return undefined;
  let origin: URL;
  try {
    origin = new URL(site);
  } catch {
    return undefined;
  }
  const b = base === '/' ? '' : base.replace(/\/+$/, '');
  let prefix = origin.pathname.replace(/\/+$/, '');
  if (b && !prefix.endsWith(b)) prefix += b;
  let rest = route.startsWith('/') && b && (route === b || route.startsWith(`${b}/`)) ? route.slice(b.length) : route;
  rest = rest.replace(/^\/+/, '');
  return `${origin.origin}${prefix}/${rest}`;
}

/** A URL as a room reads it off a slide: no scheme, no `www.`, no trailing slash. */
export function shortUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/$/, '');
}

/**
 * A QR code of `text` as a standalone SVG: black modules on a white square with the standard
 * four-module quiet zone, so it scans in either colour scheme and on paper. Generated at build
 * time; nothing is fetched.
 */
export function qrSvg(text: string, label: string): string {
  const { data, size } = encode(text, { ecc: 'M', border: 4 });
  let path = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!data[y]![x]) continue;
      // Runs of dark modules on a row become one rectangle: a smaller SVG than one per module.
      let run = 1;
      while (x + run < size && data[y]![x + run]) run++;
      path += `M${x} ${y}h${run}v1h-${run}z`;
      x += run - 1;
    }
  }
  const escaped = label.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges" role="img" aria-label="${escaped}"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}
