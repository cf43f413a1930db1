/** The diagram pipeline: graph checks, DOT generation, Graphviz's SVG made accessible and themeable. */
import { describe, expect, it } from 'vitest';
import { checkGraph, DiagramError } from '../../src/site/diagrams/check-graph.ts';
import { escapeXml, finishSvg, horizontalExtent } from '../../src/site/diagrams/finish-svg.ts';
import type { DiagramGraph, Figure } from '../../src/site/diagrams/model.ts';
import { renderFigure } from '../../src/site/diagrams/render-figure.ts';
import { runGraphviz } from '../../src/site/diagrams/run-graphviz.ts';
import { escapeHtmlLabel, graphToDot } from '../../src/site/diagrams/to-dot.ts';

const small: DiagramGraph = {
  nodes: [
    { id: 'eth0', label: 'eth0', detail: [{ code: '172.18.0.2' }], kind: 'device' },
    { id: 'pod', label: 'pod <web> & co', detail: ['listens on :80'], kind: 'process' },
    { id: 'rules', label: 'rules', detail: [{ code: 'KUBE-SERVICES' }, { code: '→ KUBE-SVC-…' }], kind: 'table' },
  ],
  groups: [
    { id: 'node', label: 'node1', kind: 'host', members: ['eth0', 'ns'] },
    { id: 'ns', label: 'pod namespace', kind: 'netns', members: ['pod'] },
  ],
  edges: [
    { from: 'eth0', to: 'pod', label: 'veth pair', kind: 'wire' },
    { from: 'rules', to: 'eth0', kind: 'control', reversed: true },
    { from: 'pod', to: 'rules', kind: 'invisible' },
  ],
};

const figure = (graph: DiagramGraph, over: Partial<Figure> = {}): Figure => ({
  id: 'demo',
  title: 'A "demo" <diagram>',
  description: 'One node, one pod & a table of rules.',
  graph,
  ...over,
});

describe('checkGraph', () => {
  it('accepts a well-formed graph', () => {
    expect(checkGraph(small)).toEqual([]);
  });

  it('reports every mistake at once, with a suggestion for a misspelt id', () => {
    const problems = checkGraph({
      nodes: [
        { id: 'eth0', label: 'a' },
        { id: 'eth0', label: 'b' },
        { id: '9lives', label: 'c' },
        { id: 'bridge', label: 'd' },
      ],
      groups: [
        { id: 'g1', label: 'one', members: ['bridge', 'g2'] },
        { id: 'g2', label: 'two', members: ['bridge', 'g1', 'nothing'] },
      ],
      edges: [{ from: 'bridg', to: 'eth0' }],
      sameRank: [['eht0x']],
    });
    expect(problems).toContainEqual(expect.stringContaining('id "eth0" is used twice'));
    expect(problems).toContainEqual(expect.stringContaining('id "9lives" must start with a letter'));
    expect(problems).toContainEqual(expect.stringMatching(/edge 1 \(bridg → eth0\) names "bridg".*did you mean "bridge"\?/));
    expect(problems).toContainEqual(expect.stringContaining('"bridge" is in two groups ("g1" and "g2")'));
    expect(problems).toContainEqual(expect.stringContaining('contain each other'));
    expect(problems).toContainEqual(expect.stringContaining('group "g2" names "nothing"'));
    expect(problems).toContainEqual(expect.stringContaining('sameRank names "eht0x"'));
  });

  it('does not accept an edge to a group (Graphviz cannot draw one)', () => {
    const problems = checkGraph({ ...small, edges: [{ from: 'eth0', to: 'node' }] });
    expect(problems).toEqual([expect.stringContaining('names "node", which is not a box')]);
  });
});

describe('graphToDot', () => {
  const dot = graphToDot(small);

  it('escapes label text for HTML-like labels', () => {
    expect(escapeHtmlLabel('a<b>&"c"')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
    expect(dot).toContain('pod &lt;web&gt; &amp; co');
    expect(dot).not.toContain('<web>');
  });

  it('nests groups as clusters, in the order the members are listed', () => {
    const outer = dot.indexOf('subgraph "cluster_node"');
    const inner = dot.indexOf('subgraph "cluster_ns"');
    const pod = dot.indexOf('"pod" [');
    expect(outer).toBeGreaterThan(-1);
    expect(inner).toBeGreaterThan(outer);
    expect(pod).toBeGreaterThan(inner);
    expect(dot.indexOf('"rules" [')).toBeGreaterThan(pod); // top level, after the group holding the first box
  });

  it('names kinds as classes and never sets a colour', () => {
    expect(dot).toContain('class="dg-node dg-node--device"');
    expect(dot).toContain('class="dg-group dg-group--netns"');
    expect(dot).toContain('class="dg-edge dg-edge--wire"');
    expect(dot).not.toMatch(/\b(?:color|fillcolor|fontcolor|bgcolor)=/);
  });

  it('turns edge options into Graphviz attributes', () => {
    expect(dot).toMatch(/"eth0" -> "pod" \[[^\]]*dir=none/);
    expect(dot).toMatch(/"rules" -> "eth0" \[[^\]]*dir=back/);
    expect(dot).toMatch(/"pod" -> "rules" \[[^\]]*style=invis/);
  });

  it('sets code lines in the monospace layout font and left-aligns table boxes', () => {
    expect(dot).toContain('<FONT FACE="Courier">172.18.0.2</FONT>');
    expect(dot).toMatch(/"rules" \[[^\]]*BR ALIGN="LEFT"/);
    expect(dot).toMatch(/"eth0" \[[^\]]*BR ALIGN="CENTER"/);
  });
});

describe('finishSvg', () => {
  it('finds the horizontal extent of path and polygon coordinates', () => {
    expect(horizontalExtent('M10,-5C12,-5 40.5,-7 40.5,-9')).toEqual({ min: 10, max: 40.5 });
    expect(horizontalExtent('3,4 -2,1 8,0')).toEqual({ min: -2, max: 8 });
    expect(horizontalExtent('')).toBeUndefined();
  });

  it('makes the SVG an accessible image with its own title and description', async () => {
    const svg = finishSvg(await runGraphviz(graphToDot(small)), { id: 'dg-x', title: 'T <1>', description: 'D & more' });
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="dg-x-title"[^>]*aria-describedby="dg-x-desc"/);
    expect(svg).toContain(`<title id="dg-x-title">${escapeXml('T <1>')}</title>`);
    expect(svg).toContain('<desc id="dg-x-desc">D &amp; more</desc>');
    // Graphviz's own titles (raw ids such as "eth0") would be read as tooltips: only ours remain.
    expect(svg.match(/<title/g)).toHaveLength(1);
  });

  it('leaves colours and fonts to the stylesheet and keeps every line as text', async () => {
    const raw = await runGraphviz(graphToDot(small));
    expect(raw).toMatch(/fill="(?:black|white)"/); // what there was to remove
    const svg = finishSvg(raw, { id: 'dg-x', title: 't', description: 'd' });
    expect(svg).not.toMatch(/\s(?:fill|stroke|font-family)="/);
    expect(svg).not.toMatch(/<\?xml|<!DOCTYPE|<!--|\sid="(?:graph|node|edge|clust)\d/);
    const texts = [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toEqual(expect.arrayContaining(['eth0', '172.18.0.2', 'pod &lt;web&gt; &amp; co', 'listens on :80', 'KUBE-SERVICES', 'veth pair', 'node1', 'pod namespace']));
    expect(svg).toMatch(/<text class="dg-text dg-code dg-small"[^>]*>172\.18\.0\.2</);
    expect(svg).toMatch(/<text class="dg-text dg-heading"[^>]*>node1</);
  });

  it('centres the lines of a box on the box, whatever width Graphviz guessed for them', async () => {
    const svg = finishSvg(await runGraphviz(graphToDot(small)), { id: 'dg-x', title: 't', description: 'd' });
    const box = /<g class="dg-node dg-node--device">\s*<path d="([^"]*)"\/>([\s\S]*?)<\/g>/.exec(svg);
    expect(box).not.toBeNull();
    const { min, max } = horizontalExtent(box![1]!)!;
    const xs = [...box![2]!.matchAll(/<text [^>]*text-anchor="middle"[^>]*\sx="([^"]*)"/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(2);
    for (const x of xs) expect(x).toBeCloseTo((min + max) / 2, 1);
  });

  it('drops invisible edges entirely and keeps the viewBox for scaling', async () => {
    const svg = finishSvg(await runGraphviz(graphToDot(small)), { id: 'dg-x', title: 't', description: 'd' });
    expect(svg.match(/class="dg-edge /g)).toHaveLength(2);
    expect(svg).toMatch(/viewBox="0\.00 0\.00 [\d.]+ [\d.]+"/);
    expect(svg).toMatch(/style="--dg-width: \d+(?:\.\d+)?px"/);
  });

  it('refuses input that is not Graphviz SVG', () => {
    expect(() => finishSvg('Error: syntax error in line 1', { id: 'x', title: 't', description: 'd' })).toThrow(/no <svg>/);
  });
});

describe('renderFigure', () => {
  it('renders a figure end to end', async () => {
    const svg = await renderFigure(figure(small));
    expect(svg).toContain('aria-labelledby="dg-demo-title"');
    expect(svg).toContain('<title id="dg-demo-title">A &quot;demo&quot; &lt;diagram&gt;</title>');
  });

  it('names the figure and lists every problem when it cannot be drawn', async () => {
    const bad = figure({ nodes: [{ id: 'a', label: 'a' }], edges: [{ from: 'a', to: 'b' }] }, { id: 'Bad Id', description: ' ' });
    const error = await renderFigure(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiagramError);
    expect((error as DiagramError).message).toContain('diagram "Bad Id"');
    expect((error as DiagramError).problems).toHaveLength(3);
  });
});
