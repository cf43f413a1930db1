import { didYouMean } from '../../model/location.ts';
import type { DiagramGraph } from './model.ts';

const ID = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** A figure that cannot be drawn; `problems` lists every mistake found, not just the first. */
export class DiagramError extends Error {
  readonly problems: string[];
  constructor(figure: string, problems: string[]) {
    super(`diagram "${figure}": ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
    this.name = 'DiagramError';
    this.problems = problems;
  }
}

/**
 * Every mistake in a graph that would make Graphviz draw something other than what the author
 * meant (or fail): duplicate or malformed ids, edges and group members that name nothing,
 * a box in two groups, groups inside themselves. Empty when the graph is fine.
 */
export function checkGraph(graph: DiagramGraph): string[] {
  const problems: string[] = [];
  const nodeIds = graph.nodes.map((n) => n.id);
  const groups = graph.groups ?? [];
  const groupIds = groups.map((g) => g.id);
  const all = [...nodeIds, ...groupIds];
  const seen = new Set<string>();
  for (const id of all) {
    if (!ID.test(id)) problems.push(`id "${id}" must start with a letter and hold only letters, digits, "-" and "_"`);
    if (seen.has(id)) problems.push(`id "${id}" is used twice — every box and group needs its own id`);
    seen.add(id);
  }
  const unknown = (what: string, id: string, pool: string[]) => {
    const hint = didYouMean(id, pool);
    problems.push(`${what} names "${id}", which is not a ${pool === nodeIds ? 'box' : 'box or group'}${hint ? ` — did you mean "${hint}"?` : ''}`);
  };
  for (const [i, e] of graph.edges.entries()) {
    for (const end of [e.from, e.to]) if (!nodeIds.includes(end)) unknown(`edge ${i + 1} (${e.from} → ${e.to})`, end, nodeIds);
  }
  const parent = new Map<string, string>();
  for (const g of groups) {
    for (const m of g.members) {
      if (!all.includes(m)) unknown(`group "${g.id}"`, m, all);
      else if (m === g.id) problems.push(`group "${g.id}" lists itself as a member`);
      else if (parent.has(m)) problems.push(`"${m}" is in two groups ("${parent.get(m)}" and "${g.id}") — a box can sit in one group only`);
      else parent.set(m, g.id);
    }
  }
  for (const g of groupIds) {
    const path = [g];
    for (let p = parent.get(g); p !== undefined; p = parent.get(p)) {
      if (path.includes(p)) {
        problems.push(`groups ${[...path, p].map((x) => `"${x}"`).join(' → ')} contain each other`);
        break;
      }
      path.push(p);
    }
  }
  for (const set of graph.sameRank ?? []) for (const id of set) if (!nodeIds.includes(id)) unknown('sameRank', id, nodeIds);
  return [...new Set(problems)];
}
