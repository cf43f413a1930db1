/**
 * The room can follow: lab slides and the closing slide carry the lab's public URL and a QR code
 * of it, and the exported PDF links to the public site, never to the machine that printed it.
 * Runs against dist-e2e, built with SITE_URL=https://example.github.io SITE_BASE=/k8s-networking-101.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeQr } from '../slides/decode-qr.ts';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFString, PDFHexString } from 'pdf-lib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDeckPdf } from '../../scripts/slides-pdf.ts';
import type { StaticSite } from './serve.ts';
import { closeBuiltSite, openBuiltSite } from './site.ts';

const DECK = 'k8s-networking-101';
const PUBLIC = 'https://example.github.io/k8s-networking-101/';
let site: StaticSite;
let browser: Browser;

beforeAll(async () => {
  ({ site, browser } = await openBuiltSite());
});
afterAll(() => closeBuiltSite({ site, browser }));

describe('lab slides', () => {
  it('show the short URL and a QR code that decodes to the lab’s public URL', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(site.url(`slides/${DECK}/`));
    await page.waitForSelector('[data-ready]', { state: 'attached' });
    const links = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.deck-stage [data-lab-link]')].map((el) => ({
        slide: el.closest<HTMLElement>('.slide')!.dataset.slide,
        layout: [...el.closest<HTMLElement>('.slide')!.classList].find((c) => c.startsWith('slide--')),
        href: el.querySelector('a')!.getAttribute('href'),
        shown: el.querySelector('.lab-link__url')?.textContent,
        qr: el.querySelector<HTMLElement>('[data-qr]')?.dataset.qr,
      })),
    );
    // Six lab slides and the closing slide.
    expect(links).toHaveLength(7);
    expect(links.filter((l) => l.layout === 'slide--lab')).toHaveLength(6);
    for (const link of links) {
      const expected = `${PUBLIC}${link.href!.replace(/^\/k8s-networking-101\//, '')}`;
      expect(link.qr).toBe(expected);
      expect(link.shown).toBe(expected.replace('https://', '').replace(/\/$/, ''));
    }
    // Decode what the browser draws, not what the markup claims.
    for (const link of links) {
      const pixels = await page.evaluate(async (slide) => {
        const svg = document.querySelector(`.deck-stage .slide[data-slide="${slide}"] [data-qr] svg`)!.outerHTML;
        const img = new Image();
        img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = 300;
        const ctx = canvas.getContext('2d')!;
        ctx.imageSmoothingEnabled = false;
        ctx.drawImage(img, 0, 0, 300, 300);
        // One character per pixel (dark or light): a short string crosses to the test quickly.
        const rgba = ctx.getImageData(0, 0, 300, 300).data;
        let bits = '';
        for (let i = 0; i < rgba.length; i += 4) bits += rgba[i]! < 128 ? '1' : '0';
        return bits;
      }, link.slide);
      const rgba = new Uint8ClampedArray(pixels.length * 4).fill(255);
      for (let i = 0; i < pixels.length; i++) if (pixels[i] === '1') rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = 0;
      expect(decodeQr(rgba, 300, 300), `slide ${link.slide}`).toBe(link.qr);
    }
    await page.close();
  });
});

describe('PDF export', () => {
  it('links every site page by its absolute public URL', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'slides-links-'));
    try {
      const result = await exportDeckPdf(browser, site.url(''), { deck: DECK, out: path.join(dir, 'deck.pdf') });
      expect(result.droppedLinks).toBe(0);
      const pdf = await PDFDocument.load(await readFile(result.file));
      const uris: string[] = [];
      for (const page of pdf.getPages()) {
        const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
        for (let i = 0; i < (annots?.size() ?? 0); i++) {
          const annot = annots!.lookup(i, PDFDict);
          const action = annot.lookupMaybe(PDFName.of('A'), PDFDict);
          const uri = action?.lookupMaybe(PDFName.of('URI'), PDFString, PDFHexString);
          if (uri) uris.push(uri.decodeText());
        }
      }
      // Six "Open lab step" links, the closing slide's link; none to the exporting machine.
      expect(uris.length).toBeGreaterThanOrEqual(7);
      for (const uri of uris) expect(uri).toMatch(/^https:\/\//);
      expect(uris.filter((u) => u.includes('127.0.0.1') || u.includes('localhost'))).toEqual([]);
      expect(uris).toContain(`${PUBLIC}labs/k8s-networking-101/01-pod-networking/`);
      expect(uris).toContain(`${PUBLIC}labs/k8s-networking-101/`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints site links as plain text when the site has no public URL, and says so', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'slides-links-'));
    const context = await browser.newContext();
    // The print page as a build without SITE_URL renders it.
    await context.route('**/print/**', async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(/ data-public-root="[^"]*"/, '');
      await route.fulfill({ response, body: html });
    });
    try {
      const result = await exportDeckPdf(context, site.url(''), { deck: DECK, out: path.join(dir, 'deck.pdf') });
      expect(result.droppedLinks).toBeGreaterThanOrEqual(7);
      const pdf = await PDFDocument.load(await readFile(result.file));
      const uris = pdf.getPages().flatMap((page) => {
        const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
        return Array.from({ length: annots?.size() ?? 0 }, (_, i) => annots!.lookup(i, PDFDict).lookupMaybe(PDFName.of('A'), PDFDict)?.lookupMaybe(PDFName.of('URI'), PDFString, PDFHexString)?.decodeText());
      });
      expect(uris.filter((u) => u?.includes('127.0.0.1'))).toEqual([]);
    } finally {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
