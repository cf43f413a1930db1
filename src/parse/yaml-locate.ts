import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Location } from '../model/location.ts';

/** A path into a YAML document, as zod reports it. */
export type YamlPath = readonly PropertyKey[];

/** Where a path points: the value node, its key node, and the deepest node that exists. */
interface Found {
  value?: Node;
  key?: Node;
  /** The deepest node found along the path (for paths that do not exist, e.g. a missing key). */
  nearest?: Node;
  /** Whether the whole path exists. */
  complete: boolean;
}

/** Walks a parsed YAML document along `path` without converting it to JS. */
export function findYamlNode(doc: Document, path: YamlPath): Found {
  let node: unknown = doc.contents;
  let key: Node | undefined;
  let nearest: Node | undefined = isNode(node) ? node : undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
      if (!pair) return { nearest, complete: false };
      key = isNode(pair.key) ? pair.key : undefined;
      node = pair.value;
      nearest = isNode(node) ? node : key ?? nearest;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      key = undefined;
      if (node === undefined) return { nearest, complete: false };
      nearest = isNode(node) ? node : nearest;
    } else {
      return { nearest, complete: false };
    }
  }
  return { value: isNode(node) ? node : undefined, key, nearest, complete: true };
}

/** Locates a path: at its key (`part: 'key'`) or at its value; falls back to the nearest node, then 1:1. */
export function locateYaml(doc: Document, counter: LineCounter, file: string, path: YamlPath, part: 'key' | 'value' = 'value'): Location {
  const found = findYamlNode(doc, path);
  const node = part === 'key' ? found.key ?? found.value ?? found.nearest : found.value ?? found.key ?? found.nearest;
  return locateOffset(counter, file, node?.range?.[0]);
}

/** Location of a character offset of the YAML text. */
export function locateOffset(counter: LineCounter, file: string, offset: number | undefined): Location {
  if (offset === undefined) return { file, line: 1, column: 1 };
  const pos = counter.linePos(offset);
  return { file, line: Math.max(1, pos.line), column: Math.max(1, pos.col) };
}

/** Renders a path the way an author reads lab.yaml: `sessions.node.prompt`, `volatile[0].pattern`. */
export function formatYamlPath(path: YamlPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? String(seg) : `.${String(seg)}`;
  return out || 'lab.yaml';
}

function isNode(n: unknown): n is Node {
  return typeof n === 'object' && n !== null && 'range' in n;
}
