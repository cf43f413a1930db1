import { readdirSync, readFileSync, statSync } from 'node:fs';
import { hashSource } from '../model/hash.ts';
import path from 'node:path';
import type { Step } from '../model/block.ts';
import type { Lab, SessionDef } from '../model/lab.ts';
import type { Problem } from '../model/location.ts';
import { checkDuplicateIds } from './check-ids.ts';
import { checkSessionOrder } from './check-sessions.ts';
import { extractBlocks } from './extract-blocks.ts';
import { parseLabConfig } from './lab-config.ts';
import { checkManifests } from './manifests/index.ts';
import { bundlePageCache, PAGE_CACHE_MAX_CHARS, readCachedPage, writeCachedPage, type PageCache, type PageRead } from './page-cache.ts';
import { makeProblem } from './problem.ts';
import { seeGuide } from './guide.ts';
import { checkStepFrontmatter } from './step-frontmatter.ts';

/** Options of loadLab / loadStepFile. */
export interface LoadLabOptions {
  /** Paths in problems and blocks are shown relative to this folder. @default process.cwd() */
  cwd?: string;
  /**
   * Pages read before, kept with the version of the code that read them (see `PageCache`);
   * `false` reads every page. @default the bundled CLI's cache, none from the sources
   */
  pageCache?: PageCache | false;
}

/** Step files: `NN-name.mdx` (or `.md`), run in file-name order. */
export const STEP_FILE = /^\d+-.+\.mdx?$/;
const CONFIG_FILE = 'lab.yaml';
const DOCS = seeGuide('lab');

/**
 * Reads a lab folder: lab.yaml and its step files, with every problem found statically —
 * config, blocks, session order across steps, duplicate ids. `lab` is present whenever lab.yaml
 * is valid (so callers can still list the steps); run it only when `problems` is empty.
 */
export async function loadLab(dir: string, opts: LoadLabOptions = {}): Promise<{ lab?: Lab; problems: Problem[] }> {
  const cwd = opts.cwd ?? process.cwd();
  const abs = path.resolve(cwd, dir);
  const show = (p: string) => path.relative(cwd, p) || '.';
  const configPath = path.join(abs, CONFIG_FILE);
  const configFile = show(configPath);
  const problems: Problem[] = [];
  const cache = opts.pageCache === undefined ? bundlePageCache() : opts.pageCache || undefined;

  const text = await readText(configPath);
  if (text === undefined) {
    const exists = await isDirectory(abs);
    problems.push(
      makeProblem('config', { file: configFile, line: 1, column: 1 }, exists ? 'missing lab.yaml' : `lab folder ${show(abs)} not found`,
        exists ? `every lab folder holds a lab.yaml with at least title: and target: ${DOCS}` : 'give the path of a folder that holds lab.yaml'),
    );
    if (!exists) return { problems };
  }
  const parsed = text === undefined ? undefined : parseLabConfig(text, configFile);
  if (parsed) problems.push(...parsed.problems);
  const sessions = parsed?.config?.sessions ?? readableSessions(parsed?.raw);

  const steps: Step[] = [];
  const listed = await listStepFiles(abs, show);
  problems.push(...listed.problems);
  for (const name of listed.names) {
    const absPath = path.join(abs, name);
    const file = show(absPath);
    const source = await readText(absPath);
    if (source === undefined) {
      problems.push(makeProblem('parse', { file, line: 1, column: 1 }, 'cannot read the step file', 'check its permissions'));
      continue;
    }
    const slug = name.replace(/\.mdx?$/, '');
    const sourceHash = hashSource(source);
    const pageCache = source.length <= PAGE_CACHE_MAX_CHARS ? cache : undefined;
    const { blocks, title, problems: pageProblems } = (pageCache && readCachedPage(pageCache, sourceHash, file, slug, sessions)) ?? readPage(source, file, slug, sessions, pageCache, sourceHash);
    problems.push(...pageProblems);
    steps.push({ file, absPath, slug, title, blocks, sourceHash });
  }
  if (steps.length === 0 && text !== undefined) {
    problems.push(makeProblem('parse', { file: configFile, line: 1, column: 1 }, 'the lab has no steps', `add step files named NN-name.mdx next to lab.yaml, e.g. 01-pods.mdx ${DOCS}`));
  }
  // Without a readable lab.yaml, session checks would only repeat that problem for every block.
  if (parsed?.raw !== undefined) problems.push(...checkSessionOrder(steps, sessions));
  problems.push(...checkDuplicateIds(steps.flatMap((s) => s.blocks)));
  problems.push(...(await checkManifests(steps.flatMap((s) => s.blocks))));

  const rank = new Map([configFile, ...steps.map((s) => s.file)].map((f, i) => [f, i]));
  problems.sort((a, b) => (rank.get(a.location.file) ?? 0) - (rank.get(b.location.file) ?? 0) || a.location.line - b.location.line || a.location.column - b.location.column);

  const config = parsed?.config;
  if (config?.kind && parsed && !(await isFile(path.join(abs, config.kind.config)))) {
    problems.push(makeProblem('config', parsed.locate(['kind', 'config']), `kind config file "${config.kind.config}" not found`, 'give a path relative to the lab folder'));
  }
  if (!config) return { problems };
  return { lab: { id: path.basename(abs), dir: abs, configFile, config, steps }, problems };
}

/**
 * Reads the lab a single step file belongs to (lab.yaml in the step's folder), for verifying
 * one step. Problems are those of lab.yaml and of this step (including session order, which
 * depends on earlier steps); other steps' problems are left to a check of the whole lab.
 */
export async function loadStepFile(file: string, opts: LoadLabOptions = {}): Promise<{ lab?: Lab; step?: Step; problems: Problem[] }> {
  const cwd = opts.cwd ?? process.cwd();
  const abs = path.resolve(cwd, file);
  const shown = path.relative(cwd, abs) || abs;
  if ((await readText(abs)) === undefined) {
    return { problems: [makeProblem('parse', { file: shown, line: 1, column: 1 }, 'step file not found', 'give the path of an NN-name.mdx file inside a lab folder')] };
  }
  const { lab, problems } = await loadLab(path.dirname(abs), opts);
  const configFile = path.relative(cwd, path.join(path.dirname(abs), CONFIG_FILE)) || CONFIG_FILE;
  const mine = problems.filter((p) => p.location.file === shown || p.location.file === configFile);
  const step = lab?.steps.find((s) => s.absPath === abs);
  if (lab && !step) {
    mine.push(makeProblem('parse', { file: shown, line: 1, column: 1 }, `not a step of lab "${lab.id}"`, 'step files are named NN-name.mdx (or .md) and sit next to lab.yaml'));
  }
  return step ? { lab, step, problems: mine } : lab ? { lab, problems: mine } : { problems: mine };
}

/** Reads a step page (blocks, title, problems of its blocks and frontmatter), keeping what it gave in `cache`. */
function readPage(source: string, file: string, slug: string, sessions: Record<string, SessionDef>, cache: PageCache | undefined, sourceHash: string): PageRead {
  const { blocks, title, problems } = extractBlocks(source, { file, slug, sessions });
  const page = { blocks, title, problems: [...problems, ...checkStepFrontmatter(source, file)] };
  if (cache) writeCachedPage(cache, sourceHash, file, slug, sessions, page);
  return page;
}

/** Markdown files of a lab folder that are meant as notes, not steps. */
const NOT_STEPS = /^(readme|notes?|changelog|license)\.mdx?$/i;

/**
 * Step file names of a lab folder in run order (numeric-aware, so 2- runs before 10-), and a
 * problem for every Markdown file that looks like a step but would be left out: a symlink (its
 * target may lie anywhere, so it is refused) or a numbered name that is not `NN-name.mdx`.
 */
async function listStepFiles(dir: string, show: (p: string) => string): Promise<{ names: string[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return { names: [], problems };
  }
  const names: string[] = [];
  for (const e of entries) {
    if (!/\.mdx?$/.test(e.name) || NOT_STEPS.test(e.name)) continue;
    const at = { file: show(path.join(dir, e.name)), line: 1, column: 1 };
    if (e.isSymbolicLink()) {
      problems.push(makeProblem('parse', at, 'this step file is a symlink and is not run', `copy the page into the lab folder: a lab is read from its own folder only ${DOCS}`));
    } else if (!e.isFile()) {
      continue;
    } else if (STEP_FILE.test(e.name)) {
      names.push(e.name);
    } else if (/^\d/.test(e.name)) {
      // A leading number says it was meant as a step; other pages (intro.mdx) are the author's to keep.
      const fixed = /^(\d+)[_ .]+(.+)$/.exec(e.name);
      problems.push(makeProblem('parse', at, `"${e.name}" is not a step file name, so this page is not run`, `${fixed ? `rename it to ${fixed[1]}-${fixed[2]}: ` : ''}step files are named NN-name.mdx (two digits, a dash, a name) ${DOCS}`));
    }
  }
  names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return { names, problems };
}

/** Sessions of an invalid lab.yaml that still have a prompt, so blocks are checked against them. */
function readableSessions(raw: unknown): Record<string, SessionDef> {
  const sessions = (raw as { sessions?: unknown } | undefined)?.sessions;
  const out: Record<string, SessionDef> = {};
  if (typeof sessions !== 'object' || sessions === null) return out;
  for (const [name, def] of Object.entries(sessions)) {
    const { prompt, command } = (def ?? {}) as { prompt?: unknown; command?: unknown };
    if (typeof prompt === 'string' && prompt !== '') out[name] = typeof command === 'string' ? { prompt, command } : { prompt };
  }
  return out;
}

// A lab's files are read synchronously: each asynchronous read waits for a thread-pool job (the
// first one of a run starts the pool), milliseconds before the first block for what the disk
// cache holds, and nothing else runs meanwhile.
async function readText(p: string): Promise<string | undefined> {
  try {
    // A byte-order mark would hide the frontmatter's first `---` (and lab.yaml's first key).
    return readFileSync(p, 'utf8').replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

async function isFile(p: string): Promise<boolean> {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
export { findLabs } from './find-labs.ts';
