#!/usr/bin/env node
/**
 * Installs the command-line tools kind labs need, at exactly the versions pinned in tools.json,
 * on a Linux amd64 machine (a CI runner or a developer's box):
 *
 *   node scripts/install-tools.ts [--dir DIR] [--manifest FILE] [--latest] [--pinned-only] [tool...]
 *   LABS_TOOLS_FILL_SUMS=1 node scripts/install-tools.ts --fill-sums [--dir DIR] [--report FILE] [tool...]
 *
 * Every download is checked against the sha256 pinned in tools.json before it is installed. A
 * tool without a pinned sum is refused: nothing at all is installed (exit 2), or, with
 * `--pinned-only` (the nightly drift job), the pinned tools are installed and each unpinned one
 * is named with what to do. `--latest` (the drift job's "newest releases" leg) installs each
 * tool's newest release instead, checked against the checksum that release publishes.
 *
 * `--fill-sums` is the one way a sum gets into tools.json, and only the `tools` workflow runs it
 * (it sets LABS_TOOLS_FILL_SUMS=1): it downloads each pinned release, checks it against the
 * checksum its project publishes (a checksum file, or the digest GitHub records for a release
 * asset), checks any sum already pinned against the same, and writes the missing sums.
 *
 * Default DIR: .tools/bin; default FILE: tools.json in the current folder; default tools: all.
 * Put DIR first on PATH afterwards.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { $, minimist } from 'zx';
import { didYouMean } from '../src/model/location.ts';
import { isRealChecksum, loadToolManifest, PROJECT_ROOT, UNPINNED_HINT, type PinnedTool, type ToolManifest } from '../src/run/tools.ts';

/** The part of `fetch` the installer uses (tests pass a fake). */
export type FetchLike = (url: string) => Promise<Pick<Response, 'ok' | 'status' | 'arrayBuffer' | 'text'>>;

/** The env variable that allows `--fill-sums`; only the `tools` workflow sets it. */
export const FILL_SUMS_ENV = 'LABS_TOOLS_FILL_SUMS';

/** One tool to install. */
export interface InstallStep {
  tool: string;
  version: string;
  url: string;
  sha256: string;
  /** Path of the executable inside the .tar.gz; absent for a bare binary. */
  archiveMember?: string;
  /** Where the executable ends up. */
  dest: string;
}

/** Fills `{version}` into a URL template. */
export function expandUrl(template: string, version: string): string {
  return template.replaceAll('{version}', version);
}

/** The message for a tool that is not installed because tools.json pins no sum for it. */
export function unpinnedMessage(tool: string, pin: PinnedTool): string {
  return `${tool} ${pin.version}: tools.json has no pinned sha256, so it is not installed (a download is only trusted against a pinned sum); ${UNPINNED_HINT}`;
}

/**
 * Turns tool names into install steps. Unknown names are problems; tools without a pinned
 * sha256 come back in `unpinned` (never as steps), so a missing checksum can never be skipped
 * silently: the caller refuses them.
 */
export function planInstall(manifest: ToolManifest, names: readonly string[], dir: string): { steps: InstallStep[]; problems: string[]; unpinned: string[] } {
  const steps: InstallStep[] = [];
  const problems: string[] = [];
  const unpinned: string[] = [];
  const known = Object.keys(manifest.tools);
  for (const tool of names.length > 0 ? names : known) {
    const pin = manifest.tools[tool];
    if (!pin) {
      const near = didYouMean(tool, known);
      problems.push(`unknown tool ${tool}${near ? ` — did you mean ${near}?` : ''} (tools.json has ${known.join(', ')})`);
      continue;
    }
    if (!isRealChecksum(pin.sha256)) {
      unpinned.push(tool);
      continue;
    }
    steps.push({
      tool,
      version: pin.version,
      url: expandUrl(pin.url, pin.version),
      sha256: pin.sha256,
      archiveMember: pin.archiveMember ? expandUrl(pin.archiveMember, pin.version) : undefined,
      dest: join(dir, pin.binary),
    });
  }
  return { steps, problems, unpinned };
}

/** The first 64-hex-digit word of a checksum file (`<sum>  <name>` or a bare sum). */
export function parseChecksumFile(text: string): string | undefined {
  return /\b([0-9a-f]{64})\b/i.exec(text)?.[1]?.toLowerCase();
}

/** The file name a download URL ends in (the release asset's name). */
function assetName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
}

/**
 * The sha256 a tool's project publishes for `version`: from its checksum file, or from the digest
 * GitHub records for the release asset. Undefined when the tool names neither; throws when the
 * source cannot be read or holds no sum for the download.
 */
export async function publishedSum(pin: PinnedTool, version: string, fetchFn: FetchLike): Promise<{ sha256: string; from: string } | undefined> {
  if (pin.checksumUrl) {
    const url = expandUrl(pin.checksumUrl, version);
    const res = await fetchFn(url);
    if (!res.ok) throw new Error(`could not read the published checksum ${url} (HTTP ${res.status})`);
    const sha256 = parseChecksumFile(await res.text());
    if (!sha256) throw new Error(`${url} holds no sha256`);
    return { sha256, from: url };
  }
  if (pin.checksumRelease) {
    const api = `https://api.github.com/repos/${pin.checksumRelease}/releases/tags/${encodeURIComponent(version)}`;
    const res = await fetchFn(api);
    if (!res.ok) throw new Error(`could not read release ${version} of ${pin.checksumRelease} (${api}, HTTP ${res.status})`);
    const release = JSON.parse(await res.text()) as { assets?: { name: string; digest?: string | null }[] };
    const name = assetName(expandUrl(pin.url, version));
    const asset = release.assets?.find((a) => a.name === name);
    if (!asset) throw new Error(`release ${version} of ${pin.checksumRelease} has no asset named ${name}`);
    const m = /^sha256:([0-9a-f]{64})$/.exec(asset.digest ?? '');
    if (!m) throw new Error(`GitHub records no sha256 digest for ${name} in release ${version} of ${pin.checksumRelease}`);
    return { sha256: m[1]!, from: `${api} (asset ${name})` };
  }
  return undefined;
}

/**
 * A copy of the manifest with the named tools moved to their newest release, each with the sum
 * that release publishes. A tool whose project publishes none stays without a sum (and is
 * refused by planInstall).
 */
export async function resolveLatest(manifest: ToolManifest, names: readonly string[], fetchFn: FetchLike): Promise<ToolManifest> {
  const tools: Record<string, PinnedTool> = { ...manifest.tools };
  for (const tool of names.length > 0 ? names : Object.keys(tools)) {
    const pin = tools[tool];
    if (!pin?.latest) continue;
    const version = await findLatestVersion(pin.latest, fetchFn);
    const published = await publishedSum(pin, version, fetchFn);
    const { sha256: _old, ...rest } = pin;
    tools[tool] = { ...rest, version, ...(published ? { sha256: published.sha256 } : {}), source: `newest release, checksum from ${published?.from ?? 'nowhere'}` };
  }
  return { ...manifest, tools };
}

async function findLatestVersion(latest: NonNullable<PinnedTool['latest']>, fetchFn: FetchLike): Promise<string> {
  if (latest.url) {
    const res = await fetchFn(latest.url);
    if (!res.ok) throw new Error(`could not read ${latest.url} (HTTP ${res.status})`);
    return (await res.text()).trim();
  }
  if (!latest.github) throw new Error('latest: needs github or url');
  const api = `https://api.github.com/repos/${latest.github}/releases${latest.tagPrefix ? '?per_page=50' : '/latest'}`;
  const res = await fetchFn(api);
  if (!res.ok) throw new Error(`could not read ${api} (HTTP ${res.status})`);
  const body = JSON.parse(await res.text()) as { tag_name: string; draft?: boolean } | { tag_name: string; draft?: boolean }[];
  const releases = Array.isArray(body) ? body : [body];
  const hit = releases.find((r) => !r.draft && r.tag_name.startsWith(latest.tagPrefix ?? ''));
  if (!hit) throw new Error(`no release of ${latest.github} with a tag starting ${latest.tagPrefix}`);
  return hit.tag_name;
}

/** sha256 (hex) of some bytes. */
export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function download(step: Pick<InstallStep, 'tool' | 'version' | 'url'>, fetchFn: FetchLike): Promise<Uint8Array> {
  const res = await fetchFn(step.url);
  if (!res.ok) throw new Error(`could not download ${step.tool} ${step.version} from ${step.url} (HTTP ${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Puts a checked download in place (mode 755), atomically. */
async function place(step: InstallStep, bytes: Uint8Array): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), `install-${step.tool}-`));
  try {
    let executable = join(work, 'download');
    await writeFile(executable, bytes);
    if (step.archiveMember) {
      await $({ quiet: true })`tar -xzf ${executable} -C ${work} ${step.archiveMember}`;
      executable = join(work, step.archiveMember);
    }
    // Copy next to the destination first, so the rename that puts it in place is atomic.
    const staged = `${step.dest}.partial`;
    await copyFile(executable, staged);
    await chmod(staged, 0o755);
    await rename(staged, step.dest);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Downloads one tool, checks its sha256 and installs the executable (mode 755) atomically.
 * A mismatch throws and installs nothing.
 */
export async function installStep(step: InstallStep, fetchFn: FetchLike): Promise<void> {
  const bytes = await download(step, fetchFn);
  const got = sha256Of(bytes);
  if (got !== step.sha256) {
    throw new Error(`sha256 mismatch for ${step.tool} ${step.version} (${step.url}): got ${got}, tools.json pins ${step.sha256}; nothing installed`);
  }
  await place(step, bytes);
}

/** What `--fill-sums` found for one tool. */
export interface SumCheck {
  tool: string;
  version: string;
  /** pinned: an existing pin agreed with the published sum; filled: a missing sum was written; unpublished: no published sum to check against; failed: a mismatch or an unreadable source. */
  outcome: 'pinned' | 'filled' | 'unpublished' | 'failed';
  detail: string;
}

/**
 * The `tools` workflow's check: every named tool's pinned release is downloaded and compared
 * with the sum its project publishes; an existing pin must equal both, a missing one is filled
 * in. Returns the new manifest (unchanged tools keep their entries byte for byte) and one check
 * per tool. With `dir`, each checked tool is installed there too.
 */
export async function fillSums(manifest: ToolManifest, names: readonly string[], fetchFn: FetchLike, o: { dir?: string; today?: string } = {}): Promise<{ manifest: ToolManifest; checks: SumCheck[] }> {
  const tools: Record<string, PinnedTool> = { ...manifest.tools };
  const checks: SumCheck[] = [];
  const today = o.today ?? new Date().toISOString().slice(0, 10);
  for (const tool of names.length > 0 ? names : Object.keys(tools)) {
    const pin = tools[tool];
    if (!pin) {
      checks.push({ tool, version: '?', outcome: 'failed', detail: 'not in tools.json' });
      continue;
    }
    const url = expandUrl(pin.url, pin.version);
    try {
      const published = await publishedSum(pin, pin.version, fetchFn);
      if (!published) {
        checks.push({ tool, version: pin.version, outcome: 'unpublished', detail: 'tools.json names no published checksum (checksumUrl or checksumRelease) for it, so its sum cannot be checked here; a reviewer has to pin one' });
        continue;
      }
      const got = sha256Of(await download({ tool, version: pin.version, url }, fetchFn));
      if (got !== published.sha256) {
        checks.push({ tool, version: pin.version, outcome: 'failed', detail: `the download ${url} has sha256 ${got}, but ${published.from} publishes ${published.sha256}` });
        continue;
      }
      if (pin.sha256 !== undefined && pin.sha256 !== got) {
        checks.push({ tool, version: pin.version, outcome: 'failed', detail: `tools.json pins ${pin.sha256}, but the download and ${published.from} both have ${got}` });
        continue;
      }
      if (o.dir) {
        const dest = join(o.dir, pin.binary);
        await installStep({ tool, version: pin.version, url, sha256: got, archiveMember: pin.archiveMember ? expandUrl(pin.archiveMember, pin.version) : undefined, dest }, fetchFn);
      }
      if (pin.sha256 === got) {
        checks.push({ tool, version: pin.version, outcome: 'pinned', detail: `pinned sum agrees with ${published.from}` });
      } else {
        tools[tool] = { ...pin, sha256: got, source: `${published.from}, checked against the download by the tools workflow on ${today}` };
        checks.push({ tool, version: pin.version, outcome: 'filled', detail: `${got}, as published at ${published.from}` });
      }
    } catch (e) {
      checks.push({ tool, version: pin.version, outcome: 'failed', detail: (e as Error).message });
    }
  }
  return { manifest: { ...manifest, tools: orderTools(tools) }, checks };
}

/** Keeps each tool's keys in tools.json's order, so a filled-in sum lands where a reader expects it. */
function orderTools(tools: Record<string, PinnedTool>): Record<string, PinnedTool> {
  const order = ['version', 'binary', 'url', 'archiveMember', 'sha256', 'checksumUrl', 'checksumRelease', 'latest', 'source'];
  return Object.fromEntries(
    Object.entries(tools).map(([name, pin]) => {
      const entries = Object.entries(pin) as [string, unknown][];
      entries.sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
      return [name, Object.fromEntries(entries) as unknown as PinnedTool];
    }),
  );
}

/** tools.json as the project keeps it: two-space JSON with a final newline. */
export function formatManifest(manifest: ToolManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The Markdown the `tools` workflow puts in its pull request and run summary. */
export function renderSumReport(checks: readonly SumCheck[]): string {
  const label: Record<SumCheck['outcome'], string> = { pinned: 'already pinned, agrees', filled: 'sum filled in', unpublished: 'not pinned: nothing published to check against', failed: 'FAILED' };
  const lines = ['### Tool checksums', '', '| tool | version | result | detail |', '| --- | --- | --- | --- |'];
  for (const c of checks) lines.push(`| ${c.tool} | ${c.version} | ${label[c.outcome]} | ${c.detail.replaceAll('|', '\\|')} |`);
  return `${lines.join('\n')}\n`;
}

function defaultFetch(url: string): ReturnType<FetchLike> {
  const token = process.env.GH_TOKEN ?? process.env.GITHUB_TOKEN;
  const headers: Record<string, string> = {};
  if (token && new URL(url).hostname === 'api.github.com') headers.authorization = `Bearer ${token}`;
  return fetch(url, { redirect: 'follow', headers });
}

/** The command line; resolves to the exit status (0 installed, 1 a download or check failed, 2 bad request or an unpinned tool refused). */
export async function main(
  args: string[],
  o: { fetch?: FetchLike; manifest?: ToolManifest; log?: (s: string) => void; annotate?: (s: string) => void; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<number> {
  const log = o.log ?? ((s: string) => void process.stderr.write(`${s}\n`));
  // GitHub Actions reads workflow commands (::warning::) from stdout.
  const command = o.annotate ?? ((s: string) => void process.stdout.write(`${s}\n`));
  const env = o.env ?? process.env;
  const cwd = o.cwd ?? process.cwd();
  const argv = minimist(args, { string: ['dir', 'manifest', 'report'], boolean: ['latest', 'help', 'pinned-only', 'fill-sums'], alias: { h: 'help' } });
  if (argv.help) {
    log('usage: node scripts/install-tools.ts [--dir DIR] [--manifest tools.json] [--latest] [--pinned-only] [tool...]   (tools: see tools.json; default: all)');
    log(`       ${FILL_SUMS_ENV}=1 node scripts/install-tools.ts --fill-sums [--dir DIR] [--report FILE] [tool...]   (the tools workflow only)`);
    return 0;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    log(`install-tools: tools.json pins linux-amd64 downloads; this is ${process.platform}-${process.arch}`);
    return 2;
  }
  const fetchFn = o.fetch ?? defaultFetch;
  const names = argv._.map(String);
  const manifestFile = resolve(cwd, argv.manifest ?? (existsSync(join(cwd, 'tools.json')) ? 'tools.json' : join(PROJECT_ROOT, 'tools.json')));
  let manifest: ToolManifest;
  try {
    manifest = o.manifest ?? loadToolManifest(manifestFile);
  } catch (e) {
    log(`install-tools: ${(e as Error).message}`);
    return 2;
  }
  const annotate = env.GITHUB_ACTIONS === 'true';

  if (argv['fill-sums']) {
    if (env[FILL_SUMS_ENV] !== '1') {
      log(`install-tools: --fill-sums writes sums into tools.json and runs only in the tools workflow, which sets ${FILL_SUMS_ENV}=1; to get a sum pinned, ${UNPINNED_HINT}`);
      return 2;
    }
    const unknown = names.filter((n) => !manifest.tools[n]);
    if (unknown.length > 0) {
      log(`install-tools: unknown tool ${unknown.join(', ')} (tools.json has ${Object.keys(manifest.tools).join(', ')})`);
      return 2;
    }
    const dir = argv.dir ? resolve(cwd, String(argv.dir)) : undefined;
    if (dir) await mkdir(dir, { recursive: true });
    const { manifest: next, checks } = await fillSums(manifest, names, fetchFn, { dir });
    for (const c of checks) log(`install-tools: ${c.tool} ${c.version}: ${c.outcome}: ${c.detail}`);
    if (argv.report) await writeFile(resolve(cwd, String(argv.report)), renderSumReport(checks));
    const failed = checks.filter((c) => c.outcome === 'failed');
    if (failed.length > 0) {
      if (annotate) for (const c of failed) command(`::error title=tools.json::${c.tool} ${c.version}: ${c.detail}`);
      return 1;
    }
    if (checks.some((c) => c.outcome === 'filled')) await writeFile(manifestFile, formatManifest(next));
    return 0;
  }

  const dir = resolve(cwd, String(argv.dir ?? '.tools/bin'));
  if (argv.latest) {
    try {
      manifest = await resolveLatest(manifest, names, fetchFn);
    } catch (e) {
      log(`install-tools: ${(e as Error).message}`);
      return 1;
    }
  }
  const { steps, problems, unpinned } = planInstall(manifest, names, dir);
  for (const p of problems) log(`install-tools: ${p}`);
  if (problems.length > 0) return 2;
  for (const tool of unpinned) {
    log(`install-tools: ${argv['pinned-only'] ? '' : 'refusing '}${unpinnedMessage(tool, manifest.tools[tool]!)}`);
    if (annotate) command(`::warning title=unpinned tool::${tool} ${manifest.tools[tool]!.version} has no pinned sha256 in tools.json and is not installed; labs that need it do not run. To pin it, ${UNPINNED_HINT}.`);
  }
  if (unpinned.length > 0 && !argv['pinned-only']) {
    log(`install-tools: nothing installed; pass --pinned-only to install the pinned tools and leave out ${unpinned.join(', ')}`);
    return 2;
  }
  await mkdir(dir, { recursive: true });
  for (const step of steps) {
    log(`install-tools: ${step.tool} ${step.version} from ${step.url}`);
    try {
      await installStep(step, fetchFn);
    } catch (e) {
      log(`install-tools: ${(e as Error).message}`);
      return 1;
    }
    log(`install-tools: ${step.tool} ${step.version} sha256 ok -> ${step.dest}`);
  }
  return 0;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
