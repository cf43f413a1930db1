import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentEntryId, contentPatterns, normaliseBase, readSiteConfig, withBase } from '../../src/site/site-config.ts';
import { prefixBase } from '../../src/site/remark-base-links.ts';
import { locateContent } from '../../src/site/locate-content.ts';

const root = '/repo';

describe('readSiteConfig', () => {
  it('has defaults for a plain build', () => {
    expect(readSiteConfig({}, root)).toEqual({ projectRoot: root, roots: [root], base: '/', strict: false });
  });
  it('reads base, site, strict and extra roots', () => {
    const c = readSiteConfig({ SITE_BASE: 'k8s-101/', SITE_URL: 'https://x.github.io/', LABS_STRICT: '1', LABS_CONTENT_EXTRA: `test/fx${path.delimiter}other` }, root);
    expect(c).toEqual({ projectRoot: root, roots: [root, '/repo/test/fx', '/repo/other'], base: '/k8s-101', site: 'https://x.github.io', strict: true });
  });
  it('refuses extra roots outside the project', () => {
    expect(() => readSiteConfig({ LABS_CONTENT_EXTRA: '../elsewhere' }, root)).toThrow(/outside the project/);
  });
  it('replaces the repo content with LABS_CONTENT_ROOTS', () => {
    expect(readSiteConfig({ LABS_CONTENT_ROOTS: 'test/fx', LABS_CONTENT_EXTRA: 'other' }, root).roots).toEqual(['/repo/test/fx']);
    expect(() => readSiteConfig({ LABS_CONTENT_ROOTS: '/tmp/x' }, root)).toThrow(/LABS_CONTENT_ROOTS: \/tmp\/x is outside/);
  });
  it('is not strict for LABS_STRICT=0', () => {
    expect(readSiteConfig({ LABS_STRICT: '0' }, root).strict).toBe(false);
  });
});

describe('paths', () => {
  it('normalises bases and joins routes', () => {
    expect(['', '/', 'a', '/a/', '//a//'].map(normaliseBase)).toEqual(['/', '/', '/a', '/a', '/a']);
    expect(withBase('/', 'status/')).toBe('/status/');
    expect(withBase('/k8s', '/labs/x/')).toBe('/k8s/labs/x/');
    expect(withBase('/k8s', '')).toBe('/k8s/');
  });
  it('prefixes root-relative links once', () => {
    expect(prefixBase('/labs/x/', '/k8s')).toBe('/k8s/labs/x/');
    expect(prefixBase('/k8s/labs/x/', '/k8s')).toBe('/k8s/labs/x/');
    expect(prefixBase('https://a.b/', '/k8s')).toBe('https://a.b/');
    expect(prefixBase('//cdn/x', '/k8s')).toBe('//cdn/x');
    expect(prefixBase('../x/', '/k8s')).toBe('../x/');
    expect(prefixBase('#top', '/k8s')).toBe('#top');
  });
  it('gives one set of patterns per root and ids without the root', () => {
    expect(contentPatterns({ projectRoot: root, roots: [root, '/repo/test/fx'] })).toEqual([
      'content/labs/*/[0-9]*.{md,mdx}',
      'content/concepts/[^_]*.{md,mdx}',
      'content/docs/[^_]*.{md,mdx}',
      'test/fx/content/labs/*/[0-9]*.{md,mdx}',
      'test/fx/content/concepts/[^_]*.{md,mdx}',
      'test/fx/content/docs/[^_]*.{md,mdx}',
    ]);
    expect(contentEntryId('content/labs/x/01-a.mdx')).toBe('labs/x/01-a');
    expect(contentEntryId('test/fx/content/labs/content/01-a.mdx')).toBe('labs/content/01-a');
    expect(contentEntryId('content/docs/writing-a-lab.mdx')).toBe('docs/writing-a-lab');
  });
  it('locates content files by section and lab', () => {
    expect(locateContent('/repo/content/labs/pods/01-a.mdx', [root])).toEqual({ root, file: 'content/labs/pods/01-a.mdx', section: 'labs', labId: 'pods', labDir: '/repo/content/labs/pods', slug: '01-a' });
    expect(locateContent('/repo/test/fx/content/concepts/dns.mdx', [root, '/repo/test/fx'])).toEqual({ root: '/repo/test/fx', file: 'content/concepts/dns.mdx', section: 'concepts', slug: 'dns' });
    expect(locateContent('/repo/src/pages/index.astro', [root])).toBeUndefined();
    expect(locateContent('/repo/content/labs/pods/deep/01-a.mdx', [root])).toBeUndefined();
  });
});
