import { checkGraph, DiagramError } from './check-graph.ts';
import { finishSvg } from './finish-svg.ts';
import type { Figure } from './model.ts';
import { runGraphviz } from './run-graphviz.ts';
import { graphToDot } from './to-dot.ts';

/**
 * A figure as the SVG the page embeds: checked (every mistake reported at once, naming the
 * figure), laid out by Graphviz, then made accessible and themeable by finishSvg.
 */
export async function renderFigure(figure: Figure): Promise<string> {
  const problems = checkGraph(figure.graph);
  if (!/^[a-z][a-z0-9-]*$/.test(figure.id)) problems.push(`figure id "${figure.id}" must be lowercase letters, digits and "-"`);
  if (!figure.title.trim()) problems.push('the figure needs a title (its accessible name)');
  if (!figure.description.trim()) problems.push('the figure needs a description (its text alternative)');
  if (problems.length > 0) throw new DiagramError(figure.id, problems);
  const svg = await runGraphviz(graphToDot(figure.graph));
  return finishSvg(svg, { id: `dg-${figure.id}`, title: figure.title, description: figure.description });
}
