import { FONT_SIZE } from './to-dot.ts';

/** What finishSvg needs besides Graphviz's SVG. */
export interface FinishSvgOptions {
  /** Prefix of the ids it adds (`<id>-title`, `<id>-desc`); unique on the page. */
  id: string;
  /** The accessible name. */
  title: string;
  /** The long description. */
  description: string;
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The horizontal extent of a shape's `d` or `points` coordinates (Graphviz writes x,y pairs). */
export function horizontalExtent(coords: string): { min: number; max: number } | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const m of coords.matchAll(/(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)/g)) {
    const x = Number(m[1]);
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  return min <= max ? { min, max } : undefined;
}

function decodeClass(value: string): string {
  return value.split(/\s+/).filter((c) => c.startsWith('dg-')).join(' ');
}

/** Text: no font attribute (the stylesheet sets the site's fonts), a class per role instead. */
function finishText(tag: string, centreX: number | undefined): string {
  const family = /\sfont-family="([^"]*)"/.exec(tag)?.[1] ?? '';
  const size = Number(/\sfont-size="([^"]*)"/.exec(tag)?.[1] ?? FONT_SIZE.label);
  const classes = ['dg-text'];
  if (/courier|mono/i.test(family)) classes.push('dg-code');
  if (size === FONT_SIZE.group) classes.push('dg-heading');
  else if (size < FONT_SIZE.label) classes.push('dg-small');
  let out = tag.replace(/\sfont-family="[^"]*"/, '');
  // Graphviz places each line of an HTML-like label by its own estimate of the text's width.
  // Centring on the box instead keeps the words in the middle whatever font really draws them.
  if (centreX !== undefined) out = out.replace(/\stext-anchor="[^"]*"/, ' text-anchor="middle"').replace(/\sx="[^"]*"/, ` x="${round(centreX)}"`);
  return out.replace(/^<text/, `<text class="${classes.join(' ')}"`);
}

function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** One `<g>` of a node, edge or group: colours out, classes kept, node text centred. */
function finishElement(open: string, body: string): string {
  const cls = decodeClass(/\sclass="([^"]*)"/.exec(open)?.[1] ?? '');
  // Table boxes keep Graphviz's left edge; other boxes centre their lines.
  const isNode = /\bdg-node\b/.test(cls) && !/\bdg-node--table\b/.test(cls);
  let centreX: number | undefined;
  if (isNode) {
    const shape = /<(?:path|polygon|ellipse)\b[^>]*\s(?:d|points)="([^"]*)"/.exec(body);
    const extent = shape ? horizontalExtent(shape[1]!) : undefined;
    if (extent) centreX = (extent.min + extent.max) / 2;
  }
  const inner = body
    .replace(/<title>[\s\S]*?<\/title>\s*/g, '')
    .replace(/<(path|polygon|polyline|ellipse)\b([^>]*)>/g, (_m, name: string, attrs: string) => `<${name}${attrs.replace(/\s(?:fill|stroke)="[^"]*"/g, '')}>`)
    .replace(/<text\b[^>]*>/g, (tag) => finishText(tag, centreX));
  return `<g class="${cls}">${inner}</g>`;
}

/**
 * Turns Graphviz's SVG into one that belongs on the page:
 * - accessible: `role="img"`, a `<title>` and a `<desc>` with ids, referenced by
 *   `aria-labelledby` and `aria-describedby`; Graphviz's own per-element titles (raw ids) go;
 * - themeable: every fill and stroke colour and font family is removed and the elements carry
 *   classes (`dg-node--device`, `dg-edge--traffic`, `dg-code`…), so the stylesheet colours them
 *   from Starlight's variables in either theme; the white page background goes;
 * - embeddable: no XML prolog, doctype, comments or Graphviz ids (two diagrams on one page
 *   must not clash); the size is in CSS pixels and the viewBox is kept so it scales down;
 * - text stays text (`<text>`), never outlines, so it can be found, copied and translated.
 */
export function finishSvg(svg: string, options: FinishSvgOptions): string {
  const start = svg.indexOf('<svg');
  if (start < 0) throw new Error(`diagram "${options.id}": Graphviz returned no <svg> element`);
  const viewBox = /\sviewBox="([^"]*)"/.exec(svg)?.[1];
  if (!viewBox) throw new Error(`diagram "${options.id}": Graphviz's SVG has no viewBox`);
  const [, , w = '0', h = '0'] = viewBox.trim().split(/\s+/);
  const body = svg
    .slice(svg.indexOf('>', start) + 1, svg.lastIndexOf('</svg>'))
    .replace(/<!--[\s\S]*?-->/g, '')
    // Graphviz writes hyphens and runs of spaces as numeric references; plain characters read
    // better in the page source and in search results. The XML specials stay escaped.
    .replace(/&#(\d+);/g, (ref, code: string) => (['34', '38', '39', '60', '62'].includes(code) ? ref : String.fromCodePoint(Number(code))))
    .replace(/<polygon fill="white" stroke="none"[^>]*\/>/, '');
  const graph = /<g id="graph0" class="graph"([^>]*)>/.exec(body);
  const transform = graph?.[1] ?? '';
  const inside = graph ? body.slice(graph.index + graph[0].length, body.lastIndexOf('</g>')) : body;
  const elements = [...inside.matchAll(/(<g\b[^>]*>)([\s\S]*?)<\/g>/g)]
    .map((m) => finishElement(m[1]!, m[2]!))
    .filter((g) => !/^<g[^>]*>\s*<\/g>$/.test(g)); // invisible edges leave nothing but their title
  const id = options.id;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="dg" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc" viewBox="${viewBox}" width="${round(Number(w))}" height="${round(Number(h))}" style="--dg-width: ${round(Number(w))}px">`,
    `<title id="${id}-title">${escapeXml(options.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(options.description)}</desc>`,
    `<g${transform}>`,
    ...elements,
    '</g>',
    '</svg>',
  ].join('\n');
}
