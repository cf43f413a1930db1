import { LineCounter, parseAllDocuments } from 'yaml';
import type { Block, FileBlock } from '../../model/block.ts';
import type { Location, Problem } from '../../model/location.ts';
import { makeProblem } from '../problem.ts';
import { findYamlNode } from '../yaml-locate.ts';
import { ModelRegistry } from './model-registry.ts';
import { validateManifest, type ManifestIssue } from './validate-manifest.ts';

/** Options of checkManifests. */
export interface CheckManifestsOptions {
  /** Reuse one registry across labs (its imports are cached). @default a shared registry */
  registry?: ModelRegistry;
}

let shared: ModelRegistry | undefined;

/** Whether a file block holds YAML (by fence language or file name). */
export function isYamlFileBlock(b: Block): b is FileBlock {
  return b.kind === 'file' && (/^ya?ml$/i.test(b.lang) || /\.ya?ml$/i.test(b.path));
}

/**
 * Validates every Kubernetes object in the YAML file blocks (`yaml file=…`) of a lab's steps,
 * offline, against the Kubernetes API schemas of the model packages. Each problem points at the
 * line inside the step file (fence line + line in the block) and names the field path. YAML
 * documents without an apiVersion (Helm values and other configuration) are not manifests and
 * are skipped, as are kinds of API groups no package ships (CRDs, kind's own Cluster config).
 */
export async function checkManifests(blocks: readonly Block[], opts: CheckManifestsOptions = {}): Promise<Problem[]> {
  const problems: Problem[] = [];
  const files = blocks.filter(isYamlFileBlock);
  if (files.length === 0) return problems;
  const registry = opts.registry ?? (shared ??= new ModelRegistry());
  for (const block of files) problems.push(...(await checkFileBlock(block, registry)));
  return problems;
}

/** Problems of one YAML file block. */
export async function checkFileBlock(block: FileBlock, registry: ModelRegistry): Promise<Problem[]> {
  const problems: Problem[] = [];
  const counter = new LineCounter();
  const docs = parseAllDocuments(block.body, { lineCounter: counter, prettyErrors: false });
  // Lines of the block body start on the line after the opening fence.
  const at = (offset: number | undefined): Location => {
    if (offset === undefined) return { file: block.file, line: block.line + 1, column: 1 };
    const pos = counter.linePos(offset);
    return { file: block.file, line: block.line + Math.max(1, pos.line), column: Math.max(1, pos.col) };
  };
  const list = Array.isArray(docs) ? docs : [docs];
  for (const [index, doc] of list.entries()) {
    const where = list.length > 1 ? ` (document ${index + 1} of ${block.path})` : ` (${block.path})`;
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        problems.push(makeProblem('parse', at(err.pos[0]), `invalid YAML${where}: ${firstLine(err.message)}`, 'fix the YAML syntax; indent with spaces, not tabs'));
      }
      continue;
    }
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) continue; // an empty document (a trailing ---)
    if (typeof value !== 'object' || Array.isArray(value)) continue; // not a Kubernetes object
    const obj = value as Record<string, unknown>;
    // A manifest is a mapping with an apiVersion; anything else (Helm values, a config file that
    // happens to have a `kind:` key) is some other YAML and is not checked.
    if (!('apiVersion' in obj)) continue;
    const report = await validateManifest(obj, registry);
    const found = report.issues.map((issue) => makeProblem('parse', locateIssue(doc, issue, at), `${issue.message}${where}`, issue.hint));
    // In source order, as a reader goes through the file.
    problems.push(...found.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column));
  }
  return problems;
}

/** Where an issue points in the step file: its key, its value, or the nearest node that exists. */
function locateIssue(doc: Parameters<typeof findYamlNode>[0], issue: ManifestIssue, at: (offset: number | undefined) => Location): Location {
  const found = findYamlNode(doc, issue.path);
  const node = issue.part === 'key' ? found.key ?? found.value ?? found.nearest : found.value ?? found.key ?? found.nearest;
  return at(node?.range?.[0] ?? doc.contents?.range?.[0]);
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
