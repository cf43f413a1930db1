import { readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Lab } from '../model/lab.ts';
import type { Problem } from '../model/location.ts';

/**
 * The lab loader, taken by the first selection: with it come the Markdown, MDX, YAML and schema
 * modules, whose set-up is a large part of what loading the CLI runs, and a command that reads
 * no lab (`labs --help`) starts without it. The deck loader (and its own schema) is taken only
 * when a deck may be among the paths.
 */
const labLoader = () => import('../parse/load-lab.ts');
const deckLoader = () => import('../parse/load-deck.ts');

/** A lab chosen on the command line, and which of its steps to run. */
export interface SelectedLab {
  lab: Lab;
  /** Absolute step paths when the user named step files; undefined = every step. */
  onlySteps?: Set<string>;
}

/**
 * Turns the PATH arguments into labs: a lab folder (holds lab.yaml), a step file inside one, a
 * deck (`slides/<deck>.mdx`, run as a lab of one step), a `slides` folder (its decks), or any
 * folder holding labs (searched recursively; a project root's `slides/` decks come too). No
 * argument means `content/labs` and `slides` of the project. Every problem of every lab is
 * collected, so `labs check` can list them all at once.
 */
export async function selectLabs(paths: string[], cwd: string): Promise<{ labs: SelectedLab[]; problems: Problem[] }> {
  const { findLabs, loadLab } = await labLoader();
  const problems: Problem[] = [];
  const byDir = new Map<string, Set<string> | undefined>();
  const decks = new Set<string>();
  const args = paths.length > 0 ? paths : ['content/labs', ...((await isDir(join(cwd, 'slides'))) ? ['slides'] : [])];
  for (const p of args) {
    const abs = resolve(cwd, p);
    const st = statOrNone(abs);
    if (!st) {
      problems.push({ stage: 'cli', location: { file: p, line: 1, column: 1 }, message: 'no such file or folder', hint: 'give a lab folder (with lab.yaml), a step file, a deck, or a folder of labs' });
      continue;
    }
    if (st.isFile()) {
      const { DECK_FILE } = await deckLoader();
      if (DECK_FILE.test(abs.split('\\').join('/')) && !(await isFile(join(dirname(abs), 'lab.yaml')))) {
        decks.add(abs);
        continue;
      }
      if (!/\.mdx?$/.test(abs)) {
        problems.push({ stage: 'cli', location: { file: p, line: 1, column: 1 }, message: 'not a step file', hint: 'a step is an .mdx file inside a lab folder; a deck is slides/<deck>.mdx' });
        continue;
      }
      const dir = dirname(abs);
      const steps = byDir.has(dir) ? byDir.get(dir) : new Set<string>();
      if (steps) steps.add(abs);
      byDir.set(dir, steps);
      continue;
    }
    const deckFiles = await decksIn(abs);
    for (const d of deckFiles) decks.add(d);
    const dirs = basename(abs) === 'slides' ? [] : await findLabs(abs);
    if (dirs.length === 0 && deckFiles.length === 0) {
      problems.push({ stage: 'cli', location: { file: p, line: 1, column: 1 }, message: 'no lab found here (no lab.yaml in this folder or below it)', hint: 'a lab is a folder with a lab.yaml and NN-step.mdx files' });
    }
    for (const d of dirs) byDir.set(resolve(d), undefined); // the whole lab wins over single steps
  }
  const labs: SelectedLab[] = [];
  for (const [dir, onlySteps] of [...byDir].sort(([a], [b]) => basename(a).localeCompare(basename(b)))) {
    const loaded = await loadLab(dir, { cwd });
    problems.push(...loaded.problems);
    if (!loaded.lab) continue;
    if (onlySteps) {
      for (const s of onlySteps) {
        if (!loaded.lab.steps.some((st) => st.absPath === s)) {
          problems.push({ stage: 'cli', location: { file: s, line: 1, column: 1 }, message: 'not a step of its lab', hint: 'step files are named NN-name.mdx, e.g. 02-services.mdx' });
        }
      }
    }
    labs.push({ lab: loaded.lab, onlySteps });
  }
  for (const d of [...decks].sort()) {
    const { loadDeck } = await deckLoader();
    const loaded = await loadDeck(d, { cwd });
    problems.push(...loaded.problems);
    if (loaded.lab) labs.push({ lab: loaded.lab });
  }
  return { labs, problems };
}

/** Decks of a `slides` folder, or of a project root's `slides/` folder. */
async function decksIn(dir: string): Promise<string[]> {
  const isSlides = basename(dir) === 'slides';
  if (!isSlides && !(await isDir(join(dir, 'content')))) return [];
  const folder = isSlides ? dir : join(dir, 'slides');
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    entries = [];
  }
  return entries.filter((e) => e.isFile() && e.name.endsWith('.mdx')).map((e) => join(folder, e.name)).sort();
}

async function isDir(p: string): Promise<boolean> {
  return statOrNone(p)?.isDirectory() ?? false;
}

async function isFile(p: string): Promise<boolean> {
  return statOrNone(p)?.isFile() ?? false;
}

/**
 * A path's Stats, undefined when it cannot be looked at. Synchronous, as every look here is: an
 * asynchronous one waits for a thread-pool job (the first one of a run starts the pool), about
 * a millisecond each before the first block can run, for an answer the disk cache holds.
 */
function statOrNone(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/**
 * `--shard I/N`: keeps the labs of shard I of N. Labs are ordered by id and dealt round-robin,
 * so every lab lands in exactly one shard and the split is the same on every machine. Deal only
 * the labs that will run (after target filtering): a lab the target skips would otherwise take
 * a shard's place and leave it with nothing to verify.
 */
export function shardLabs<T>(labs: readonly T[], shard: { index: number; total: number }, idOf: (item: T) => string): T[] {
  return [...labs].sort((a, b) => idOf(a).localeCompare(idOf(b))).filter((_, i) => i % shard.total === shard.index - 1);
}

/** Parses `I/N` (1 ≤ I ≤ N). */
export function parseShard(s: string): { index: number; total: number } | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const total = Number(m[2]);
  return index >= 1 && total >= 1 && index <= total ? { index, total } : undefined;
}

/** Where records of a lab go: `<root>/verification` for labs under `<root>/content/labs/`, else the lab folder's parent. */
export function recordsRootFor(labDir: string): string {
  const parent = dirname(labDir);
  if (basename(parent) === 'labs' && basename(dirname(parent)) === 'content') return dirname(dirname(parent));
  return parent;
}
