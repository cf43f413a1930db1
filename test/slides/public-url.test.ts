import { decodeQr } from './decode-qr.ts';
import { describe, expect, it } from 'vitest';
import { publicUrl, qrSvg, shortUrl } from '../../src/slides/public-url.ts';

describe('publicUrl', () => {
  it('joins the public origin, the base and a route, with or without the base already in it', () => {
    expect(publicUrl('https://example.github.io', '/k8s', 'labs/x/')).toBe('https://example.github.io/k8s/labs/x/');
    expect(publicUrl('https://example.github.io', '/k8s', '/k8s/labs/x/')).toBe('https://example.github.io/k8s/labs/x/');
    expect(publicUrl('https://example.github.io', '/k8s', '/labs/x/')).toBe('https://example.github.io/k8s/labs/x/');
    // GitHub Pages' base_url already ends in the base path: never twice.
    expect(publicUrl('https://example.github.io/k8s/', '/k8s', 'labs/x/')).toBe('https://example.github.io/k8s/labs/x/');
    expect(publicUrl('https://labs.example.org', '/', '/labs/x/')).toBe('https://labs.example.org/labs/x/');
    expect(publicUrl('https://example.github.io', '/k8s', '')).toBe('https://example.github.io/k8s/');
    // A route that merely starts like the base is not the base.
    expect(publicUrl('https://e.io', '/k8s', '/k8sx/')).toBe('https://e.io/k8s/k8sx/');
  });
  it('has no public URL without a site, or with a malformed one', () => {
    expect(publicUrl(undefined, '/k8s', 'labs/')).toBeUndefined();
    expect(publicUrl('not a url', '/', 'labs/')).toBeUndefined();
  });
  it('shortens for a slide', () => {
    expect(shortUrl('https://www.example.github.io/k8s/labs/x/')).toBe('example.github.io/k8s/labs/x');
  });
});

describe('qrSvg', () => {
  it('encodes the URL so that a QR reader gets it back', () => {
    const url = 'https://example.github.io/k8s-networking-101/labs/k8s-networking-101/01-pod-networking/';
    const svg = qrSvg(url, 'QR code');
    const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)![1]);
    const image = rasterise(svg, size, 6);
    expect(decodeQr(image.data, image.width, image.height)).toBe(url);
    // A different URL is a different code.
    const other = qrSvg(`${url}x`, 'QR');
    const otherImage = rasterise(other, Number(/viewBox="0 0 (\d+) \d+"/.exec(other)![1]), 6);
    expect(decodeQr(otherImage.data, otherImage.width, otherImage.height)).toBe(`${url}x`);
    expect(svg).toContain('aria-label="QR code"');
  });
});

/** Draws the SVG's module rectangles (`M x y h n v1 h-n z`) into RGBA pixels, `scale` px per module. */
function rasterise(svg: string, size: number, scale: number): { data: Uint8ClampedArray; width: number; height: number } {
  const width = size * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (const m of svg.matchAll(/M(\d+) (\d+)h(\d+)/g)) {
    const [x, y, run] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let py = y * scale; py < (y + 1) * scale; py++) {
      for (let px = x * scale; px < (x + run) * scale; px++) {
        const i = (py * width + px) * 4;
        data[i] = data[i + 1] = data[i + 2] = 0;
      }
    }
  }
  return { data, width, height: width };
}
