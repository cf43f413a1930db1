import type { DiagramEdge, DiagramGraph, DiagramGroup, DiagramLine, DiagramNode, EdgeKind } from './model.ts';

/**
 * Type sizes, in SVG user units (px at 100 %). Graphviz sizes every box from these and the
 * font's metrics, so the rendered text must use the same sizes (it does: the SVG keeps them).
 */
export const FONT_SIZE = { label: 14, detail: 12, edge: 12, group: 13 } as const;

/**
 * The fonts Graphviz measures with. Verdana is among the widest common sans-serif faces, so the
 * boxes it sizes leave room for whatever sans-serif the reader's system really draws (the SVG
 * text uses the site's font stack); Courier's 0.6 em advance matches usual monospace faces.
 */
export const LAYOUT_FONT = { sans: 'Verdana', mono: 'Courier' } as const;

const ARROWS: Record<EdgeKind, string> = {
  traffic: 'arrowhead=normal',
  wire: 'dir=none',
  control: 'arrowhead=normal',
  reference: 'arrowhead=vee',
  blocked: 'arrowhead=tee',
  invisible: 'style=invis',
};

/** Escapes text for a Graphviz HTML-like label. */
export function escapeHtmlLabel(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function lineHtml(line: DiagramLine, size: number): string {
  const text = typeof line === 'string' ? escapeHtmlLabel(line) : `<FONT FACE="${LAYOUT_FONT.mono}">${escapeHtmlLabel(line.code)}</FONT>`;
  return `<FONT POINT-SIZE="${size}">${text}</FONT>`;
}

/** An HTML-like label: the first line at `size`, the others at the detail size, one per row. */
export function labelHtml(first: DiagramLine, rest: readonly DiagramLine[] = [], size: number = FONT_SIZE.label, align: 'CENTER' | 'LEFT' = 'CENTER'): string {
  const lines = [lineHtml(first, size), ...rest.map((l) => lineHtml(l, FONT_SIZE.detail))];
  return `<${lines.join(`<BR ALIGN="${align}"/>`)}${align === 'LEFT' ? '<BR ALIGN="LEFT"/>' : ''}>`;
}

function q(id: string): string {
  return `"${id}"`;
}

function nodeDot(n: DiagramNode): string {
  const kind = n.kind ?? 'plain';
  // Tables (rules, records, files) read line by line, so their lines start at one left edge.
  const align = kind === 'table' ? 'LEFT' : 'CENTER';
  return `${q(n.id)} [id=${q(`n-${n.id}`)} class=${q(`dg-node dg-node--${kind}`)} label=${labelHtml(n.label, n.detail ?? [], FONT_SIZE.label, align)}];`;
}

function edgeDot(e: DiagramEdge): string {
  const kind = e.kind ?? 'traffic';
  const attrs = [`class=${q(`dg-edge dg-edge--${kind}`)}`, ARROWS[kind]];
  const tail = kind === 'blocked' ? 'arrowtail=tee' : kind === 'reference' ? 'arrowtail=vee' : 'arrowtail=normal';
  if (e.both && kind !== 'wire' && kind !== 'invisible') attrs.push('dir=both', tail);
  else if (e.reversed && kind !== 'wire' && kind !== 'invisible') attrs.push('dir=back', tail);
  if (e.loose) attrs.push('constraint=false');
  if (e.label !== undefined) {
    const lines = Array.isArray(e.label) ? e.label : [e.label];
    const [first, ...rest] = lines;
    // Left-aligned: the lines then start where Graphviz put them whatever font draws them.
    if (first !== undefined) attrs.push(`label=${labelHtml(first, rest, FONT_SIZE.edge, 'LEFT')}`);
  }
  return `${q(e.from)} -> ${q(e.to)} [${attrs.join(' ')}];`;
}

/**
 * Writes a graph as Graphviz DOT: one `cluster_` subgraph per group, nested as the groups are;
 * classes on every box, group and arrow (`dg-node--device`, `dg-edge--traffic`…) and no colours,
 * which the stylesheet supplies per theme. Top-level boxes and groups come in the order of their
 * first box in `graph.nodes`, so the author's order is the order left to right (or top to bottom).
 */
export function graphToDot(graph: DiagramGraph): string {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const groups = new Map((graph.groups ?? []).map((g) => [g.id, g]));
  const inGroup = new Set((graph.groups ?? []).flatMap((g) => g.members));
  const order = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const firstIndex = (id: string): number => {
    const g = groups.get(id);
    if (!g) return order.get(id) ?? Infinity;
    return Math.min(Infinity, ...g.members.map(firstIndex));
  };
  const topLevel = [...graph.nodes.map((n) => n.id), ...groups.keys()].filter((id) => !inGroup.has(id));
  topLevel.sort((a, b) => firstIndex(a) - firstIndex(b));

  const out: string[] = [
    'digraph G {',
    `graph [rankdir=${graph.direction === 'right' ? 'LR' : 'TB'} newrank=true fontname=${q(LAYOUT_FONT.sans)} fontsize=${FONT_SIZE.group} nodesep=${graph.compact ? 0.12 : 0.3} ranksep=${graph.compact ? 0.3 : 0.45} pad=0.08 labeljust=l];`,
    `node [shape=box style=rounded fontname=${q(LAYOUT_FONT.sans)} fontsize=${FONT_SIZE.label} margin="0.16,0.08"];`,
    `edge [fontname=${q(LAYOUT_FONT.sans)} fontsize=${FONT_SIZE.edge} arrowsize=0.8];`,
  ];
  const emit = (id: string, indent: string): void => {
    const n = nodes.get(id);
    if (n) {
      out.push(indent + nodeDot(n));
      return;
    }
    const g = groups.get(id) as DiagramGroup;
    out.push(`${indent}subgraph ${q(`cluster_${g.id}`)} {`);
    out.push(`${indent}  id=${q(`g-${g.id}`)} class=${q(`dg-group dg-group--${g.kind ?? 'scope'}`)} style=rounded margin=10 label=${labelHtml(g.label, g.detail ?? [], FONT_SIZE.group, 'LEFT')};`);
    for (const m of g.members) emit(m, `${indent}  `);
    out.push(`${indent}}`);
  };
  for (const id of topLevel) emit(id, '  ');
  for (const set of graph.sameRank ?? []) out.push(`  { rank=same; ${set.map(q).join('; ')}; }`);
  for (const e of graph.edges) out.push(`  ${edgeDot(e)}`);
  out.push('}');
  return out.join('\n');
}
