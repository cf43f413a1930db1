/**
 * The concept pages' figures: each renders, fits its words, and is shown on its page; and each
 * concept page links to the steps of both labs that show it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { horizontalExtent } from '../../src/site/diagrams/finish-svg.ts';
import { FIGURES_BY_PAGE } from '../../src/site/diagrams/figures/index.ts';
import type { DiagramLine, Figure } from '../../src/site/diagrams/model.ts';
import { renderFigure } from '../../src/site/diagrams/render-figure.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONCEPTS = path.join(ROOT, 'content/concepts');
const SCRATCH = path.join(ROOT, 'content/labs/networking-from-scratch');
/** The steps of the Kubernetes lab, as announced to every page that links to it. */
const K8S_STEPS = ['01-pod-networking', '02-services', '03-dns', '04-external-access', '05-load-balancing', '06-service-mesh'];

const all: [string, Figure][] = Object.entries(FIGURES_BY_PAGE).flatMap(([page, figures]) => figures.map((f) => [page, f] as [string, Figure]));
const lineText = (l: DiagramLine) => (typeof l === 'string' ? l : l.code);
const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Text content as drawn: Graphviz keeps runs of spaces as no-break spaces. */
const drawn = (svg: string) => svg.replace(/\u00a0/g, ' ');

/**
 * A deliberately wide guess at how many pixels a line takes in a common UI font (wider than
 * Roboto, Segoe UI, San Francisco or DejaVu Sans for ordinary words): narrow letters 0.32 em,
 * wide ones 0.9 em, capitals 0.7 em, the rest 0.58 em; monospace 0.61 em.
 */
function guessWidth(text: string, fontSize: number, mono: boolean): number {
  const chars = [...text.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')];
  if (mono) return chars.length * 0.61 * fontSize;
  let em = 0;
  for (const c of chars) em += /[iljtf.,:;'|!() ]/.test(c) ? 0.32 : /[mwMW]/.test(c) ? 0.9 : /[A-Z]/.test(c) ? 0.7 : 0.58;
  return em * fontSize;
}

describe('concept figures', () => {
  const svgs = new Map<string, string>();
  beforeAll(async () => {
    for (const [, f] of all) svgs.set(f.id, await renderFigure(f));
  });

  it('are registered for every concept page, with ids unique across the site', () => {
    expect(Object.keys(FIGURES_BY_PAGE).sort()).toEqual(['dns', 'gateway-api', 'ingress', 'network-policy', 'pod-network', 'pods', 'services']);
    const ids = all.map(([, f]) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [, f] of all) expect(f.description.length, f.id).toBeGreaterThan(f.title.length);
  });

  it('draw every line of every box as text', () => {
    for (const [, f] of all) {
      const svg = svgs.get(f.id)!;
      for (const n of f.graph.nodes) {
        for (const line of [n.label, ...(n.detail ?? [])]) expect(drawn(svg), `${f.id}/${n.id}`).toContain(`>${xmlText(lineText(line))}</text>`);
      }
    }
  });

  it('leave room in every box for a font wider than the one Graphviz measured', () => {
    const tight: string[] = [];
    for (const [, f] of all) {
      for (const m of svgs.get(f.id)!.matchAll(/<g class="dg-node[^"]*">\s*<(?:path|polygon) (?:d|points)="([^"]*)"\/>([\s\S]*?)<\/g>/g)) {
        const { min, max } = horizontalExtent(m[1]!)!;
        for (const t of m[2]!.matchAll(/<text class="([^"]*)"[^>]*font-size="([\d.]+)"[^>]*>([^<]*)<\/text>/g)) {
          const need = guessWidth(t[3]!, Number(t[2]), t[1]!.includes('dg-code')) + 8;
          if (need > max - min) tight.push(`${f.id}: "${t[3]}" needs ${need.toFixed(0)}px, box is ${(max - min).toFixed(0)}px`);
        }
      }
    }
    expect(tight).toEqual([]);
  });

  it('stay narrow enough to read in the content column (45rem) on a desktop', () => {
    for (const [, f] of all) {
      const width = Number(/ width="([\d.]+)"/.exec(svgs.get(f.id)!)![1]);
      expect(width, f.id).toBeLessThanOrEqual(760);
    }
  });
});

describe('concept pages', () => {
  const pages = readdirSync(CONCEPTS).filter((f) => f.endsWith('.mdx'));
  const scratchSteps = readdirSync(SCRATCH).filter((f) => /^\d\d-.*\.mdx$/.test(f)).map((f) => f.replace(/\.mdx$/, ''));

  it('have a title and a description', () => {
    for (const file of pages) {
      const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(path.join(CONCEPTS, file), 'utf8'))?.[1] ?? '';
      expect(front, file).toMatch(/^title: \S/m);
      expect(front, file).toMatch(/^description: \S/m);
    }
  });

  it('show each of their figures', () => {
    for (const [page, figures] of Object.entries(FIGURES_BY_PAGE)) {
      const file = path.join(CONCEPTS, `${page}.mdx`);
      expect(existsSync(file), file).toBe(true);
      const text = readFileSync(file, 'utf8');
      expect(text).toContain(`from '../../src/site/diagrams/figures/${page}.ts'`);
      expect(text.match(/<Diagram figure=\{\w+\}/g) ?? [], page).toHaveLength(figures.length);
    }
  });

  it('link to steps of both labs, and only to steps that exist or are announced', () => {
    for (const file of pages) {
      const text = readFileSync(path.join(CONCEPTS, file), 'utf8');
      const scratch = [...text.matchAll(/\]\(\/labs\/networking-from-scratch\/([^/)]+)\/\)/g)].map((m) => m[1]!);
      const k8s = [...text.matchAll(/\]\(\/labs\/k8s-networking-101\/([^/)]+)\/\)/g)].map((m) => m[1]!);
      expect(scratch.length, `${file} links to networking-from-scratch`).toBeGreaterThan(0);
      expect(k8s.length, `${file} links to k8s-networking-101`).toBeGreaterThan(0);
      for (const s of scratch) expect(scratchSteps, `${file} → ${s}`).toContain(s);
      for (const s of k8s) expect(K8S_STEPS, `${file} → ${s}`).toContain(s);
    }
  });

  it('link to other concept pages that exist', () => {
    const slugs = pages.map((f) => f.replace(/\.mdx$/, ''));
    for (const file of pages) {
      for (const m of readFileSync(path.join(CONCEPTS, file), 'utf8').matchAll(/\]\(\/concepts\/([^/)]+)\/\)/g)) expect(slugs, `${file} → ${m[1]}`).toContain(m[1]);
    }
  });
});
