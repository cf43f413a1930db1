import { readFile } from 'node:fs/promises';
import { hashSource } from '../model/hash.ts';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { Lab, LabConfig } from '../model/lab.ts';
import type { Problem } from '../model/location.ts';
import { readDeckMeta } from '../slides/deck-meta.ts';
import { checkDuplicateIds } from './check-ids.ts';
import { checkSessionOrder } from './check-sessions.ts';
import { extractBlocks } from './extract-blocks.ts';
import { splitFrontmatter } from './frontmatter.ts';
import { parseLabConfig } from './lab-config.ts';
import { checkManifests } from './manifests/index.ts';
import { makeProblem } from './problem.ts';
import { findYamlNode, locateYaml } from './yaml-locate.ts';

/** A deck file: `slides/<deck>.mdx` directly under a project root. */
export const DECK_FILE = /(^|\/)slides\/[^/]+\.mdx$/;

/** Record id of a deck: its blocks are recorded in `verification/slides-<deck>.json`. */
export function deckRecordId(deck: string): string {
  return `slides-${deck}`;
}

/** How a deck's blocks run, read from its frontmatter (whose other keys are checked too). */
export interface DeckConfig {
  /** Absent when there are problems. */
  config?: LabConfig;
  /** Folder that paths in the config are relative to: the borrowed lab's, else the deck's folder. */
  dir: string;
  /** The file the config comes from, as shown: the borrowed lab.yaml, else the deck. */
  configFile: string;
  problems: Problem[];
}

/**
 * The lab config a deck's command blocks run with (an extension of the contract, which says deck
 * blocks are verified like any other). The deck's frontmatter may hold `verify:` with any key of
 * lab.yaml (`target`, `requires`, `sessions`, `bindings`, `pin`, `volatile`, `setup`,
 * `teardown`…) and `lab: <id>` to start from that lab's lab.yaml (its target, sessions, kind
 * cluster and tools). Without `verify:` a deck runs on the local target with the `host` session
 * only. The title is the deck's.
 * @param source the deck's text
 * @param shown the deck's path as shown in problems
 * @param projectRoot folder holding `content/labs` (for `verify.lab`)
 * @param show how other files are shown in problems
 */
export async function readDeckConfig(source: string, shown: string, projectRoot: string, show: (abs: string) => string = (p) => p): Promise<DeckConfig> {
  const deckDir = path.dirname(path.resolve(projectRoot, shown));
  const front = splitFrontmatter(source, shown);
  const problems: Problem[] = front.problems.length > 0 ? [...front.problems] : readDeckMeta(front.data, shown).problems;
  const data = (front.data ?? {}) as { title?: unknown; verify?: unknown };
  const slug = path.basename(shown).replace(/\.mdx$/, '');
  const title = typeof data.title === 'string' && data.title.trim() !== '' ? data.title.trim() : slug;
  const yaml = front.yaml ?? '';
  const verify = typeof data.verify === 'object' && data.verify !== null ? (data.verify as Record<string, unknown>) : undefined;

  let base: LabConfig | undefined;
  let dir = deckDir;
  let configFile = shown;
  const labId = verify?.lab;
  if (labId !== undefined) {
    const at = locateIn(yaml, shown, ['verify', 'lab']);
    if (typeof labId !== 'string' || !/^[\w.-]+$/.test(labId)) {
      problems.push(makeProblem('config', at, 'verify.lab must be the id of a lab (a folder name under content/labs)', 'e.g. lab: k8s-networking-101'));
    } else {
      const labDir = path.join(projectRoot, 'content', 'labs', labId);
      const labYaml = path.join(labDir, 'lab.yaml');
      const text = await readFile(labYaml, 'utf8').catch(() => undefined);
      if (text === undefined) {
        problems.push(makeProblem('config', at, `no lab "${labId}": ${show(labYaml)} not found`, 'name a folder under content/labs that holds a lab.yaml, or remove verify.lab'));
      } else {
        const parsed = parseLabConfig(text, show(labYaml));
        problems.push(...parsed.problems);
        base = parsed.config;
        dir = labDir;
        configFile = show(labYaml);
      }
    }
  }
  if (problems.length > 0) return { dir, configFile, problems };
  const defaults: Record<string, unknown> = base ? { ...base, title } : { title, target: 'local' };
  // `description` of the borrowed lab is about the lab, not the deck.
  delete defaults.description;
  const parsed = parseLabConfig(yaml || '{}', shown, { under: 'verify', defaults, extraKeys: ['lab'] });
  problems.push(...parsed.problems);
  return parsed.config && problems.length === 0 ? { config: parsed.config, dir, configFile, problems } : { dir, configFile, problems };
}

/**
 * Reads a deck as a lab of one step, so `labs check|verify|list` treat its command blocks like a
 * lab's: id `slides-<deck>`, config from `readDeckConfig`, records in the project's
 * `verification/slides-<deck>.json` (where the site looks for them).
 */
export async function loadDeck(file: string, opts: { cwd?: string } = {}): Promise<{ lab?: Lab; problems: Problem[] }> {
  const cwd = opts.cwd ?? process.cwd();
  const abs = path.resolve(cwd, file);
  const show = (p: string) => path.relative(cwd, p) || p;
  const shown = show(abs);
  const source = await readFile(abs, 'utf8').catch(() => undefined);
  if (source === undefined) return { problems: [makeProblem('parse', { file: shown, line: 1, column: 1 }, 'deck not found', 'give the path of a slides/<deck>.mdx file')] };
  const projectRoot = path.dirname(path.dirname(abs));
  const deck = await readDeckConfig(source, shown, projectRoot, show);
  const slug = path.basename(abs).replace(/\.mdx$/, '');
  const sessions = deck.config?.sessions ?? {};
  const { blocks, title, problems } = extractBlocks(source, { file: shown, slug, sessions });
  // Frontmatter problems are reported once, by readDeckConfig.
  const own = problems.filter((p) => !deck.problems.some((d) => d.location.line === p.location.line && d.message === p.message));
  const step = { file: shown, absPath: abs, slug, title, blocks, sourceHash: hashSource(source) };
  const all = [...deck.problems, ...own];
  if (deck.config) all.push(...checkSessionOrder([step], sessions));
  all.push(...checkDuplicateIds(blocks));
  all.push(...(await checkManifests(blocks)));
  if (!deck.config) return { problems: all };
  return { lab: { id: deckRecordId(slug), dir: deck.dir, configFile: deck.configFile, config: deck.config, steps: [step], deck: slug }, problems: all };
}

function locateIn(yaml: string, file: string, p: string[]) {
  const counter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: counter, prettyErrors: false });
  return findYamlNode(doc, p).complete ? locateYaml(doc, counter, file, p) : { file, line: 1, column: 1 };
}
