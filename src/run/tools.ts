import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findOnPath } from './targets/local.ts';
import { terminate } from './process-group.ts';
import type { Lab } from '../model/lab.ts';

/** One pinned tool in tools.json. */
export interface PinnedTool {
  /** Release tag, e.g. `v0.33.0` or `edge-26.9.3`. */
  version: string;
  /** Name of the installed executable (`cilium` for cilium-cli). */
  binary: string;
  /** Download URL; `{version}` is replaced by the version. */
  url: string;
  /** Path of the executable inside a `.tar.gz` download; absent for a bare binary. */
  archiveMember?: string;
  /**
   * sha256 of the download (linux-amd64), 64 lowercase hex digits. Absent while nobody has
   * checked the release against its published checksum: the installer then refuses the tool.
   */
  sha256?: string;
  /** The project's published checksum file (`{version}` replaced), read by `--latest` and the `tools` workflow. */
  checksumUrl?: string;
  /**
   * For a project that publishes no checksum file: the GitHub repository (`owner/name`) whose
   * release `{version}` lists the download as an asset with the sha256 digest GitHub records.
   */
  checksumRelease?: string;
  /** How to find the newest release: a GitHub repository (`releases/latest`, or the newest tag with `tagPrefix`) or a URL that prints the version. */
  latest?: { github?: string; tagPrefix?: string; url?: string };
  /** Where the pinned sum was read (and the version chosen). */
  source?: string;
}

/** tools.json at the project root. */
export interface ToolManifest {
  $comment?: string;
  platform: string;
  tools: Record<string, PinnedTool>;
}

/** The project root (where tools.json lives). */
export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/** Reads tools.json (the one place tool versions are pinned); a sum that is present but malformed is an error. */
export function loadToolManifest(file = join(PROJECT_ROOT, 'tools.json')): ToolManifest {
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as ToolManifest;
  for (const [tool, pin] of Object.entries(manifest.tools ?? {})) {
    if (pin.sha256 !== undefined && !isRealChecksum(pin.sha256)) {
      throw new Error(`${file}: tools.${tool}.sha256 must be 64 lowercase hex digits (got ${JSON.stringify(pin.sha256)}); leave it out while the sum is unknown`);
    }
  }
  return manifest;
}

/** Whether a pinned sha256 is a real one (64 lowercase hex digits). */
export function isRealChecksum(sha256: string | undefined): sha256 is string {
  return sha256 !== undefined && /^[0-9a-f]{64}$/.test(sha256);
}

/** The tools a kind lab needs installed (docker aside, which the machine provides): kind, kubectl and whatever lab.yaml pins. */
export function toolsNeededBy(lab: Pick<Lab, 'config'>): string[] {
  const names = lab.config.target === 'kind' ? ['kind', 'kubectl'] : [];
  return [...new Set([...names, ...Object.keys(lab.config.tools ?? {})])].filter((t) => t !== 'docker').sort();
}

/** Why a tool cannot be installed from tools.json, or undefined when it can. */
export function whyNotInstallable(manifest: ToolManifest, tool: string, labPin?: string): string | undefined {
  const pin = manifest.tools[tool];
  if (!pin) return `${tool} is not in tools.json`;
  if (labPin && !versionMatches(labPin, pin.version)) return `lab.yaml pins ${tool} ${labPin}, but tools.json has ${pin.version}`;
  if (!isRealChecksum(pin.sha256)) return `${tool} ${pin.version} has no pinned sha256 in tools.json`;
  return undefined;
}

/** How to get a missing sum pinned; shown wherever an unpinned tool is refused. */
export const UNPINNED_HINT =
  'run the `tools` workflow (Actions → tools → Run workflow): it checks the release against the checksum its project publishes and opens a pull request that pins the sum in tools.json';

/** Which of a set of labs can run with the tools tools.json lets us install, and why the others cannot. */
export interface LabToolPlan {
  /** Every tool the labs need, sorted. */
  tools: string[];
  /** The tools among them that cannot be installed, with the reason. */
  refused: { tool: string; reason: string }[];
  /** Labs whose every tool can be installed. */
  runnable: { id: string; dir: string }[];
  /** Labs held back, with the reasons (one per tool). */
  held: { id: string; dir: string; reasons: string[] }[];
}

/** Sorts labs into runnable and held by whether tools.json can install every tool they need. */
export function planLabTools(labs: readonly Pick<Lab, 'id' | 'dir' | 'config'>[], manifest: ToolManifest): LabToolPlan {
  const tools = new Set<string>();
  const refused = new Map<string, string>();
  const runnable: LabToolPlan['runnable'] = [];
  const held: LabToolPlan['held'] = [];
  for (const lab of [...labs].sort((a, b) => a.id.localeCompare(b.id))) {
    const reasons: string[] = [];
    for (const tool of toolsNeededBy(lab)) {
      tools.add(tool);
      const why = whyNotInstallable(manifest, tool, lab.config.tools?.[tool]);
      if (!why) continue;
      reasons.push(why);
      if (!refused.has(tool)) refused.set(tool, why);
    }
    if (reasons.length === 0) runnable.push({ id: lab.id, dir: lab.dir });
    else held.push({ id: lab.id, dir: lab.dir, reasons });
  }
  return { tools: [...tools].sort(), refused: [...refused].map(([tool, reason]) => ({ tool, reason })), runnable, held };
}

/** How to ask a tool its version: the command (binary + args) and where the version is in the output. */
const VERSION_PROBES: Record<string, { binary: string; args: string[]; pick: RegExp }> = {
  docker: { binary: 'docker', args: ['version', '--format', '{{.Client.Version}}'], pick: /^(\d+\.\d+\.\d+\S*)/m },
  kind: { binary: 'kind', args: ['version'], pick: /kind (v\d\S*)/ },
  kubectl: { binary: 'kubectl', args: ['version', '--client', '-o', 'yaml'], pick: /gitVersion: (v\S+)/ },
  helm: { binary: 'helm', args: ['version', '--template', '{{.Version}}'], pick: /(v\d\S*)/ },
  'cilium-cli': { binary: 'cilium', args: ['version', '--client'], pick: /cilium-cli:\s*(v\d\S*)/ },
  linkerd: { binary: 'linkerd', args: ['version', '--client', '--short'], pick: /^\s*(\S+)/m },
};

/** The executable a tool name stands for (`cilium-cli` → `cilium`). */
export function binaryOf(tool: string): string {
  return VERSION_PROBES[tool]?.binary ?? tool;
}

/**
 * Whether an installed version satisfies a pin: the pin's dot-separated parts must equal the
 * leading parts of the actual version, so `v1.37` accepts `v1.37.4` and `v1.37.1` only itself.
 * A leading `v` is ignored on both sides.
 */
export function versionMatches(pinned: string, actual: string): boolean {
  const strip = (v: string) => v.trim().replace(/^v(?=\d)/, '');
  const want = strip(pinned).split('.');
  const have = strip(actual).split(/[.+]/);
  return want.every((part, i) => have[i] === part);
}

/** What was found for one tool. */
export interface ToolStatus {
  tool: string;
  /** Full path, or undefined when not on PATH. */
  path?: string;
  /** The version it reports, or undefined when it could not tell. */
  version?: string;
}

const probed = new Map<string, Promise<ToolStatus>>();

/** Finds a tool on PATH and asks its version (cached per PATH for this process). */
export function probeTool(tool: string): Promise<ToolStatus> {
  const key = `${tool}\0${process.env.PATH ?? ''}`;
  let p = probed.get(key);
  if (!p) {
    p = (async () => {
      const probe = VERSION_PROBES[tool] ?? { binary: tool, args: ['--version'], pick: /(v?\d+\.\d+\S*)/ };
      const path = findOnPath(probe.binary);
      if (!path) return { tool };
      const r = await runTool(path, probe.args, { timeoutMs: 15_000 });
      const m = probe.pick.exec(r.output);
      return { tool, path, version: m?.[1] };
    })();
    probed.set(key, p);
  }
  return p;
}

/** Forgets cached probes (tests change PATH between runs). */
export function clearToolCache(): void {
  probed.clear();
}

/** A missing tool or a version that does not match its pin. */
export interface ToolProblem {
  tool: string;
  message: string;
}

/**
 * Checks that every tool in `required` is on PATH and that every tool pinned in lab.yaml `tools:`
 * is there with a matching version. With `pins: 'warn'` (env `LABS_TOOL_PINS=warn`, used by the
 * nightly job's "newest releases" leg) version mismatches come back as warnings instead.
 */
export async function checkTools(required: readonly string[], pins: Record<string, string>, mode: 'enforce' | 'warn' = 'enforce'): Promise<{ problems: ToolProblem[]; warnings: string[]; found: ToolStatus[] }> {
  const names = [...new Set([...required, ...Object.keys(pins)])];
  const found = await Promise.all(names.map((t) => probeTool(t)));
  const problems: ToolProblem[] = [];
  const warnings: string[] = [];
  for (const s of found) {
    if (!s.path) {
      problems.push({ tool: s.tool, message: `${binaryOf(s.tool)} is not on PATH` });
      continue;
    }
    const pin = pins[s.tool];
    if (!pin) continue;
    if (!s.version) {
      problems.push({ tool: s.tool, message: `${s.path} did not say its version (expected ${pin})` });
    } else if (!versionMatches(pin, s.version)) {
      const message = `${s.tool} is ${s.version} (${s.path}), but lab.yaml pins ${pin}`;
      if (mode === 'warn') warnings.push(message);
      else problems.push({ tool: s.tool, message });
    }
  }
  return { problems, warnings, found };
}

/**
 * Asks the Docker daemon whether it answers. Returns undefined when it does, else the first line
 * of what docker said (e.g. "Cannot connect to the Docker daemon at unix:///var/run/docker.sock.
 * Is the docker daemon running?").
 */
export async function checkDockerDaemon(docker: string): Promise<string | undefined> {
  const r = await runTool(docker, ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000 });
  if (r.exitCode === 0 && /\d/.test(r.output)) return undefined;
  const line = r.output.split('\n').map((l) => l.trim()).find((l) => /cannot connect|error|denied|permission/i.test(l));
  return line ?? (r.output.trim().split('\n')[0] || `docker version exited ${r.exitCode}`);
}

/** What `runTool` returns. */
export interface ToolRun {
  /** stdout and stderr merged, in arrival order. */
  output: string;
  /** Exit status; null when killed (timeout or abort). */
  exitCode: number | null;
  aborted: boolean;
}

/** Options of {@link runTool}. */
export interface RunToolOptions {
  env?: Record<string, string>;
  /** Each complete output line, as it arrives (for progress). */
  onLine?: (line: string) => void;
  /** Abort kills the tool's whole process group (SIGTERM, then SIGKILL). */
  signal?: AbortSignal;
  timeoutMs?: number;
  cwd?: string;
}

/**
 * Runs a tool (kind, docker, kubectl) to completion in its own process group, so an abort or a
 * timeout stops it with everything it started; never throws for a non-zero exit.
 */
export function runTool(command: string, args: readonly string[], o: RunToolOptions = {}): Promise<ToolRun> {
  return new Promise((resolvePromise) => {
    let output = '';
    let partial = '';
    let killed = false;
    const child = spawn(command, args, {
      cwd: o.cwd,
      env: { ...process.env, ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      if (!o.onLine) return;
      const lines = (partial + text).split(/\r?\n|\r/);
      partial = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) o.onLine(l);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const stop = () => {
      if (killed || !child.pid) return;
      killed = true;
      void terminate({ pgids: [child.pid] }, 3000);
    };
    const timer = o.timeoutMs ? setTimeout(stop, o.timeoutMs) : undefined;
    if (o.signal?.aborted) stop();
    o.signal?.addEventListener('abort', stop, { once: true });
    const finish = (exitCode: number | null) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', stop);
      if (o.onLine && partial.trim()) o.onLine(partial);
      resolvePromise({ output, exitCode: killed ? null : exitCode, aborted: killed && o.signal?.aborted === true });
    };
    child.once('error', (e) => {
      output += `${command}: ${e.message}\n`;
      finish(127);
    });
    child.once('close', (code) => finish(code));
  });
}
