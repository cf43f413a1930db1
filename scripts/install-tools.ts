#!/usr/bin/env node
/**
 * Installs the command-line tools kind labs need, at exactly the versions pinned in tools.json,
 * on a Linux amd64 machine (a CI runner or a developer's box):
 *
 *   node scripts/install-tools.ts [--dir DIR] [--latest] [tool...]
 *
 * Every download is checked against the sha256 pinned in tools.json before it is installed; a
 * tool whose pin is a TODO (no published checksum was found) is refused, not installed
 * unverified. `--latest` (the nightly drift job's "newest releases" leg) installs each tool's
 * newest release instead, checked against the checksum file that release publishes.
 * Default DIR: .tools/bin; default tools: all of them. Put DIR first on PATH afterwards.
 */
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { $, minimist } from 'zx';
import { didYouMean } from '../src/model/location.ts';
import { isRealChecksum, loadToolManifest, type PinnedTool, type ToolManifest } from '../src/run/tools.ts';

/** The part of `fetch` the installer uses (tests pass a fake). */
export type FetchLike = (url: string) => Promise<Pick<Response, 'ok' | 'status' | 'arrayBuffer' | 'text'>>;

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

/**
 * Turns tool names into install steps. Unknown names and tools without a real sha256 come back
 * as problems (nothing is installed then), so a missing checksum can never be skipped silently.
 */
export function planInstall(manifest: ToolManifest, names: readonly string[], dir: string): { steps: InstallStep[]; problems: string[] } {
  const steps: InstallStep[] = [];
  const problems: string[] = [];
  const known = Object.keys(manifest.tools);
  for (const tool of names.length > 0 ? names : known) {
    const pin = manifest.tools[tool];
    if (!pin) {
      const near = didYouMean(tool, known);
      problems.push(`unknown tool ${tool}${near ? ` — did you mean ${near}?` : ''} (tools.json has ${known.join(', ')})`);
      continue;
    }
    if (!isRealChecksum(pin.sha256)) {
      problems.push(`${tool} ${pin.version}: tools.json has no verified sha256 (${pin.sha256}); refusing to install it unverified`);
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
  return { steps, problems };
}

/** The first 64-hex-digit word of a checksum file (`<sum>  <name>` or a bare sum). */
export function parseChecksumFile(text: string): string | undefined {
  return /\b([0-9a-f]{64})\b/i.exec(text)?.[1]?.toLowerCase();
}

/**
 * A copy of the manifest with the named tools moved to their newest release, each with the sum
 * from that release's own checksum file. A tool without a checksum file keeps a TODO pin (and is
 * refused by planInstall).
 */
export async function resolveLatest(manifest: ToolManifest, names: readonly string[], fetchFn: FetchLike): Promise<ToolManifest> {
  const tools: Record<string, PinnedTool> = { ...manifest.tools };
  for (const tool of names.length > 0 ? names : Object.keys(tools)) {
    const pin = tools[tool];
    if (!pin?.latest) continue;
    const version = await findLatestVersion(pin.latest, fetchFn);
    let sha256 = `TODO: ${tool} publishes no checksum file for ${version}`;
    if (pin.checksumUrl) {
      const url = expandUrl(pin.checksumUrl, version);
      const res = await fetchFn(url);
      if (!res.ok) throw new Error(`could not read the checksum of ${tool} ${version} from ${url} (HTTP ${res.status})`);
      sha256 = parseChecksumFile(await res.text()) ?? `TODO: no sha256 in ${url}`;
    }
    tools[tool] = { ...pin, version, sha256, source: `newest release, checksum from ${pin.checksumUrl ? expandUrl(pin.checksumUrl, version) : 'nowhere'}` };
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

/**
 * Downloads one tool, checks its sha256 and installs the executable (mode 755) atomically.
 * A mismatch throws and installs nothing.
 */
export async function installStep(step: InstallStep, fetchFn: FetchLike): Promise<void> {
  const res = await fetchFn(step.url);
  if (!res.ok) throw new Error(`could not download ${step.tool} ${step.version} from ${step.url} (HTTP ${res.status})`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const got = sha256Of(bytes);
  if (got !== step.sha256) {
    throw new Error(`sha256 mismatch for ${step.tool} ${step.version} (${step.url}): got ${got}, tools.json pins ${step.sha256}; nothing installed`);
  }
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

/** The command line; resolves to the exit status (0 installed, 1 a download or check failed, 2 bad request). */
export async function main(args: string[], o: { fetch?: FetchLike; manifest?: ToolManifest; log?: (s: string) => void } = {}): Promise<number> {
  const log = o.log ?? ((s: string) => void process.stderr.write(`${s}\n`));
  const argv = minimist(args, { string: ['dir'], boolean: ['latest', 'help'], alias: { h: 'help' } });
  if (argv.help) {
    log('usage: node scripts/install-tools.ts [--dir DIR] [--latest] [tool...]   (tools: see tools.json; default: all)');
    return 0;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    log(`install-tools: tools.json pins linux-amd64 downloads; this is ${process.platform}-${process.arch}`);
    return 2;
  }
  const fetchFn = o.fetch ?? ((url: string) => fetch(url, { redirect: 'follow' }));
  const dir = resolve(String(argv.dir ?? '.tools/bin'));
  const names = argv._.map(String);
  let manifest = o.manifest ?? loadToolManifest();
  if (argv.latest) {
    try {
      manifest = await resolveLatest(manifest, names, fetchFn);
    } catch (e) {
      log(`install-tools: ${(e as Error).message}`);
      return 1;
    }
  }
  const { steps, problems } = planInstall(manifest, names, dir);
  for (const p of problems) log(`install-tools: ${p}`);
  if (problems.length > 0) return 2;
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
