#!/usr/bin/env node
/**
 * Which tools the kind labs need, read from their lab.yaml `tools:` (plus kind and kubectl,
 * which every kind lab needs), and which of those labs can run with what tools.json can install:
 *
 *   node scripts/lab-tools.ts [PATH...]                 prints the tools, space-separated
 *   node scripts/lab-tools.ts --plan [--shards N] [PATH...]   prints the plan (Markdown)
 *   node scripts/lab-tools.ts --github [--shards N] [--plan-file FILE] [PATH...]
 *
 * `--github` is the nightly drift job's first step: it writes the step outputs `tools` (every
 * tool the kind labs need), `labs` (the folders of the labs whose tools can all be installed),
 * `shards` (a JSON list 1..N, N = min(--shards, those labs)), `shard_count`, `held` (how many
 * labs cannot run) and `legs` (the verify jobs: see {@link planLegs}), puts the plan in the job
 * summary, and warns once per held lab, naming each tool that holds it back and what to do. A
 * held lab is never silently dropped.
 *
 * PATH defaults to content/labs; tools.json is read from the current folder.
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { minimist } from 'zx';
import { selectLabs } from '../src/cli/select-labs.ts';
import { planMatrix, type MatrixEntryPlan } from '../src/model/k8s-matrix.ts';
import { formatProblem } from '../src/model/location.ts';
import { loadToolManifest, planLabTools, PROJECT_ROOT, UNPINNED_HINT, type LabToolPlan } from '../src/run/tools.ts';

/** The shard numbers for a number of runnable labs: 1..min(max, labs). */
export function shardList(runnable: number, max: number): number[] {
  return Array.from({ length: Math.max(0, Math.min(max, runnable)) }, (_, i) => i + 1);
}

/** One verify job of the nightly run: a leg (tools and Kubernetes release) and a shard of its labs. */
export interface DriftLeg {
  /** `pinned`, `newest`, or `k8s-<minor>`; names the job's artifact `drift-<leg>-<shard>`. */
  leg: string;
  /** Which tool versions to install. */
  tools: 'pinned' | 'newest';
  /** The Kubernetes minor release for `labs verify --k8s`; empty for the pinned and newest legs. */
  k8s: string;
  shard: number;
  /** How many shards this leg has. */
  shards: number;
  /** The lab folders this leg verifies, space-separated (the shard picks its part). */
  labs: string;
}

/**
 * The verify jobs of a night, for the Actions matrix (`include:`): the pinned and the newest
 * tools over the shards of every runnable lab, then, for each Kubernetes release some runnable
 * lab lists as ready in `kind.matrix` (newest first), pinned tools over the shards of the labs
 * that list it. A lab held back for its tools runs in no leg; a held matrix entry adds none.
 */
export function planLegs(runnable: readonly { id: string; dir: string }[], matrix: readonly { lab: string; entries: MatrixEntryPlan[] }[], maxShards: number, cwd: string): DriftLeg[] {
  const folders = (labs: readonly { dir: string }[]) => labs.map((l) => relative(cwd, l.dir)).join(' ');
  const legs: DriftLeg[] = [];
  const shards = shardList(runnable.length, maxShards);
  for (const tools of ['pinned', 'newest'] as const) {
    for (const shard of shards) legs.push({ leg: tools, tools, k8s: '', shard, shards: shards.length, labs: folders(runnable) });
  }
  const ready = (id: string, v: string) => matrix.some((m) => m.lab === id && m.entries.some((e) => e.kubernetes === v && !e.held));
  const versions = [...new Set(matrix.flatMap((m) => (runnable.some((l) => l.id === m.lab) ? m.entries.filter((e) => !e.held).map((e) => e.kubernetes) : [])))];
  versions.sort((a, b) => compareMinor(b, a));
  for (const v of versions) {
    const labs = runnable.filter((l) => ready(l.id, v));
    const vShards = shardList(labs.length, maxShards);
    for (const shard of vShards) legs.push({ leg: `k8s-${v}`, tools: 'pinned', k8s: v, shard, shards: vShards.length, labs: folders(labs) });
  }
  return legs;
}

function compareMinor(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am! - bm! || an! - bn!;
}

/** The plan as Markdown, for the job summary and the tracking issue. */
export function renderPlan(plan: LabToolPlan, shards: readonly number[], cwd: string, matrix: readonly { lab: string; entries: MatrixEntryPlan[] }[] = []): string {
  const lines = ['### Nightly plan', ''];
  lines.push(`Tools the kind labs need: ${plan.tools.join(', ') || '(none)'}.`);
  if (plan.refused.length > 0) lines.push('', `Tools that cannot be installed: ${plan.refused.map((r) => r.reason).join('; ')}.`);
  lines.push('');
  if (plan.runnable.length > 0) {
    lines.push(`Verified tonight: ${plan.runnable.map((l) => l.id).join(', ')} (${shards.length} shard${shards.length === 1 ? '' : 's'}).`);
  } else {
    lines.push('**No kind lab can be verified tonight.**');
  }
  if (plan.held.length > 0) {
    lines.push('', '**Not verified tonight**, because a tool it needs cannot be installed:', '');
    for (const h of plan.held) lines.push(`- ${h.id} (${relative(cwd, h.dir) || '.'}): ${h.reasons.join('; ')}`);
    if (plan.refused.some((r) => r.reason.includes('no pinned sha256'))) lines.push('', `To pin the missing sums, ${UNPINNED_HINT}.`);
  }
  const entries = matrix.flatMap((m) => m.entries.map((e) => ({ lab: m.lab, ...e })));
  if (entries.length > 0) {
    const runs = new Set(plan.runnable.map((l) => l.id));
    lines.push('', '**Kubernetes version matrix** (lab.yaml `kind.matrix`; each ready release runs in its own leg with the pinned tools, `labs verify --k8s <minor>`):', '');
    for (const e of entries) {
      const state = e.held ? `cannot run: ${e.held}` : !runs.has(e.lab) ? `not run tonight: the lab is held back (above)` : `verified tonight, ${e.image} → verification/${e.record}.json`;
      lines.push(`- ${e.lab} on Kubernetes ${e.kubernetes}: ${state}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The command line; resolves to the exit status (0, or 2 when the labs or tools.json cannot be read). */
export async function main(args: string[], o: { cwd?: string; env?: NodeJS.ProcessEnv; out?: (s: string) => void; err?: (s: string) => void } = {}): Promise<number> {
  const cwd = o.cwd ?? process.cwd();
  const env = o.env ?? process.env;
  const out = o.out ?? ((s: string) => void process.stdout.write(`${s}\n`));
  const err = o.err ?? ((s: string) => void process.stderr.write(`${s}\n`));
  const argv = minimist(args, { boolean: ['plan', 'github', 'help'], string: ['shards', 'plan-file', 'manifest'], alias: { h: 'help' } });
  if (argv.help) {
    err('usage: node scripts/lab-tools.ts [--plan | --github [--plan-file FILE]] [--shards N] [--manifest tools.json] [PATH...]');
    return 0;
  }
  const maxShards = Number(argv.shards ?? 1);
  if (!Number.isInteger(maxShards) || maxShards < 1) {
    err(`lab-tools: --shards needs a whole number of at least 1, got ${JSON.stringify(argv.shards)}`);
    return 2;
  }
  const paths = argv._.length > 0 ? argv._.map(String) : ['content/labs'];
  const { labs, problems } = await selectLabs(paths, cwd);
  if (problems.length > 0) {
    for (const p of problems) err(formatProblem(p));
    err(`lab-tools: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the labs; run \`labs check\``);
    return 2;
  }
  let manifest;
  try {
    manifest = loadToolManifest(resolve(cwd, argv.manifest ?? (existsSync(join(cwd, 'tools.json')) ? 'tools.json' : join(PROJECT_ROOT, 'tools.json'))));
  } catch (e) {
    err(`lab-tools: ${(e as Error).message}`);
    return 2;
  }
  const plan = planLabTools(
    labs.filter((l) => l.lab.config.target === 'kind').map((l) => l.lab),
    manifest,
  );
  const shards = shardList(plan.runnable.length, maxShards);
  const matrix = labs.filter((l) => l.lab.config.target === 'kind').map((l) => ({ lab: l.lab.id, entries: planMatrix(l.lab.id, l.lab.config) }));
  const markdown = renderPlan(plan, shards, cwd, matrix);

  if (argv.github) {
    const outputs = [
      `tools=${plan.tools.join(' ')}`,
      `labs=${plan.runnable.map((l) => relative(cwd, l.dir)).join(' ')}`,
      `shards=${JSON.stringify(shards)}`,
      `shard_count=${shards.length}`,
      `held=${plan.held.length}`,
      `legs=${JSON.stringify(planLegs(plan.runnable, matrix, maxShards, cwd))}`,
    ];
    if (!env.GITHUB_OUTPUT) {
      err('lab-tools: --github needs GITHUB_OUTPUT (set by GitHub Actions)');
      return 2;
    }
    await appendFile(env.GITHUB_OUTPUT, `${outputs.join('\n')}\n`);
    if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, markdown);
    if (argv['plan-file']) await writeFile(resolve(cwd, String(argv['plan-file'])), markdown);
    for (const h of plan.held) {
      const hint = h.reasons.some((r) => r.includes('no pinned sha256')) ? ` To pin the missing sums, ${UNPINNED_HINT}.` : '';
      out(`::warning title=lab not verified::${h.id} is not verified tonight: ${h.reasons.join('; ')}.${hint}`);
    }
    err(markdown);
    return 0;
  }
  if (argv.plan) {
    out(markdown);
    return 0;
  }
  out(plan.tools.join(' '));
  return 0;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
