import { Graphviz } from '@hpcc-js/wasm-graphviz';

let loading: Promise<Graphviz> | undefined;

/**
 * Lays out DOT with Graphviz's `dot` engine and returns its SVG. Graphviz runs as WebAssembly
 * inside Node at build time (the module is loaded once per process); no browser, no network,
 * and nothing of it reaches the reader's page but the SVG.
 */
export async function runGraphviz(dot: string): Promise<string> {
  loading ??= Graphviz.load();
  const graphviz = await loading;
  return graphviz.dot(dot, 'svg');
}
