/** No broken internal link or anchor anywhere in dist/ (every HTML file, every href and src). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listHtmlFiles } from './html-files.ts';
import { resolveFile } from './serve.ts';
import { assertBuilt, detectBase, DIST } from './site.ts';
import { GUIDE_SECTIONS, guideHref, type GuideSection } from '../../src/parse/guide.ts';

interface Link {
  from: string;
  url: string;
}

const ATTR = /\s(?:href|src)="([^"]*)"/g;
const ID = /\sid="([^"]*)"/g;

function idsOf(html: string): Set<string> {
  return new Set([...html.matchAll(ID)].map((m) => decodeEntities(m[1]!)));
}

function decodeEntities(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

describe('links in dist/', () => {
  let files: string[] = [];
  let links: Link[] = [];
  const base = detectBase();

  beforeAll(async () => {
    assertBuilt();
    files = await listHtmlFiles(DIST);
    links = files.flatMap((file) => {
      const html = readFileSync(file, 'utf8').replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, (s) => s.replace(/>[\s\S]*<\//, '></'));
      return [...html.matchAll(ATTR)].map((m) => ({ from: path.relative(DIST, file), url: decodeEntities(m[1]!) }));
    });
  });

  it('found pages and links to check', () => {
    expect(files.length).toBeGreaterThan(5);
    expect(links.length).toBeGreaterThan(50);
  });

  it('every internal link and anchor resolves', async () => {
    const broken: string[] = [];
    const cache = new Map<string, Set<string>>();
    for (const { from, url } of links) {
      if (/^(?:[a-z]+:|\/\/)/i.test(url)) continue; // external, mailto:, data:
      const [pathPart, hash] = url.split('#') as [string, string | undefined];
      let target: string | undefined;
      if (pathPart === '') {
        target = path.join(DIST, from);
      } else {
        const pagePath = '/' + path.posix.dirname(from.split(path.sep).join('/')).replace(/^\.$/, '');
        const pageUrl = from.endsWith('index.html') ? `${base === '/' ? '' : base}${pagePath === '/' ? '' : pagePath}/` : `${base === '/' ? '' : base}/${from}`;
        const absolute = new URL(pathPart, `http://site${pageUrl}`).pathname;
        target = await resolveFile(DIST, base, absolute);
        if (!target) {
          broken.push(`${from}: ${url} (no file)`);
          continue;
        }
      }
      const slideLink = hash ? /^\/(\d+)(?:\/\d+)?$/.exec(hash) : null;
      if (slideLink) {
        // A deep link into a deck (#/12 or #/12/2): the deck must have that many slides.
        const slides = (readFileSync(target, 'utf8').match(/<section\b[^>]*\bclass="[^"]*\bslide\b/g) ?? []).length;
        if (Number(slideLink[1]) < 1 || Number(slideLink[1]) > slides) broken.push(`${from}: ${url} (the deck has ${slides} slides)`);
        continue;
      }
      if (hash && hash !== '_top' && target.endsWith('.html')) {
        if (!cache.has(target)) cache.set(target, idsOf(readFileSync(target, 'utf8')));
        if (!cache.get(target)!.has(decodeURIComponent(hash))) broken.push(`${from}: ${url} (no #${hash})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every guide address that error hints give resolves to its page and heading', async () => {
    const broken: string[] = [];
    for (const section of Object.keys(GUIDE_SECTIONS) as GuideSection[]) {
      const [route, hash] = guideHref(section).split('#') as [string, string];
      const target = await resolveFile(DIST, base, `${base === '/' ? '' : base}/${route}`);
      if (!target) broken.push(`${section}: /${route} (no page)`);
      else if (!idsOf(readFileSync(target, 'utf8')).has(hash)) broken.push(`${section}: /${route}#${hash} (no such heading on the page)`);
    }
    expect(broken).toEqual([]);
  });

  it('every link to the site itself carries the base path', () => {
    if (base === '/') return;
    const wrong = links.filter((l) => l.url.startsWith('/') && !l.url.startsWith('//') && !l.url.startsWith(`${base}/`) && l.url !== base);
    expect(wrong).toEqual([]);
  });

  it('has a sitemap when SITE_URL was set', () => {
    const index = path.join(DIST, 'sitemap-index.xml');
    if (!existsSync(index)) return;
    const sitemap = readFileSync(path.join(DIST, 'sitemap-0.xml'), 'utf8');
    expect(sitemap).toContain(`${base === '/' ? '' : base}/labs/netns-basics/01-namespaces/</loc>`);
  });
});
