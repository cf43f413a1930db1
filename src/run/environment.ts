import { execFile } from 'node:child_process';
import { accessSync, closeSync, constants, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { RunEnvironment } from '../model/result.ts';

/** How to ask a tool its version; the first match of `pick` in its output is kept. */
const VERSION_PROBES: Record<string, { args: string[]; pick: RegExp }> = {
  bash: { args: ['--version'], pick: /version (\S+)/ },
  ip: { args: ['-V'], pick: /iproute2-([\w.]+)|version ([\w.]+)/ },
  iptables: { args: ['--version'], pick: /v(\S+(?: \([^)]+\))?)/ },
  busybox: { args: ['--help'], pick: /BusyBox v(\S+)/ },
  dnsmasq: { args: ['--version'], pick: /version (\S+)/ },
  ping: { args: ['-V'], pick: /iputils[- ]?(\d[\w.]*)/ },
  curl: { args: ['--version'], pick: /curl (\S+)/ },
  docker: { args: ['version', '--format', '{{.Client.Version}}'], pick: /(\S+)/ },
  kind: { args: ['version'], pick: /kind (v\S+)/ },
  kubectl: { args: ['version', '--client', '-o', 'yaml'], pick: /gitVersion: (\S+)/ },
};

/** Options of {@link probeVersion}. */
export interface ProbeOptions {
  /**
   * File of versions already probed, keyed by the exact executable (see {@link executableIdentity}).
   * @default node_modules/.cache/labs-cli/tool-versions.json in the project ($LABS_TOOL_VERSIONS_CACHE)
   */
  cacheFile?: string;
}

/** The version cache of this project (shared by its runs). */
export function toolVersionsCacheFile(): string {
  return process.env.LABS_TOOL_VERSIONS_CACHE || resolve(import.meta.dirname, '../../node_modules/.cache/labs-cli/tool-versions.json');
}

/**
 * Names the exact program `tool` runs as (the first executable of that name on PATH, as the probe
 * would find it): its path, device, inode, size, modification and change times. Undefined when
 * that cannot stand for its version: not found, a PATH with an empty entry (the current folder),
 * or not an ELF binary — scripts and shims (pyenv, asdf, wrappers) may run another program from
 * one call to the next.
 */
export function executableIdentity(tool: string, path = process.env.PATH ?? ''): string | undefined {
  if (tool.includes('/')) return undefined;
  for (const dir of path.split(delimiter)) {
    if (!dir) return undefined;
    const file = join(dir, tool);
    let st;
    try {
      st = statSync(file);
      if (!st.isFile()) continue;
      accessSync(file, constants.X_OK);
    } catch {
      continue;
    }
    const head = Buffer.alloc(4);
    try {
      const fd = openSync(file, 'r');
      try {
        readSync(fd, head, 0, 4, 0);
      } finally {
        closeSync(fd);
      }
    } catch {
      return undefined;
    }
    if (!head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return undefined;
    return `${file}\0${st.dev}\0${st.ino}\0${st.size}\0${st.mtimeMs}\0${st.ctimeMs}`;
  }
  return undefined;
}

/**
 * Asks one tool its version; undefined when it is missing or says nothing we recognise. A version
 * probed before from the very same executable file is taken from the cache instead of starting
 * the tool again (each start costs a process on every run).
 */
export async function probeVersion(tool: string, options: ProbeOptions = {}): Promise<string | undefined> {
  const probe = VERSION_PROBES[tool] ?? { args: ['--version'], pick: /(\d+\.\d+(?:\.\d+)?\S*)/ };
  const identity = executableIdentity(tool);
  const cacheFile = options.cacheFile ?? toolVersionsCacheFile();
  const key = identity && `${tool}\0${probe.args.join('\0')}\0${probe.pick.source}\0${identity}`;
  const cache = key ? readVersionCache(cacheFile) : {};
  if (key && typeof cache[key] === 'string') return cache[key];
  const found = await askVersion(tool, probe);
  if (key && found !== undefined) writeVersionCache(cacheFile, { ...readVersionCache(cacheFile), [key]: found });
  return found;
}

function readVersionCache(file: string): Record<string, unknown> {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Writes the cache whole (temp file, then rename); one that cannot be written is simply not kept. */
function writeVersionCache(file: string, data: Record<string, unknown>): void {
  // Stale entries (replaced binaries) pile up slowly; start over rather than grow without end.
  const kept = Object.keys(data).length > 500 ? Object.fromEntries(Object.entries(data).slice(-50)) : data;
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, JSON.stringify(kept));
    renameSync(tmp, file);
  } catch {
    // A read-only project: versions are probed each run, as without a cache.
  }
}

/** Starts the tool and picks its version from what it prints. */
async function askVersion(tool: string, probe: { args: string[]; pick: RegExp }): Promise<string | undefined> {
  // Node's own child_process rather than a wrapper library: this runs on every `labs verify`,
  // and loading a large module graph for a version string costs more than the probe itself.
  const all = await new Promise<string>((resolve) => {
    const child = execFile(tool, probe.args, { timeout: 5000, encoding: 'utf8', maxBuffer: 1024 * 1024 }, (_error, stdout, stderr) => resolve(`${stdout ?? ''}${stderr ?? ''}`));
    child.stdin?.end();
  });
  const m = probe.pick.exec(all);
  return m ? (m.slice(1).find(Boolean) ?? m[0]) : undefined;
}

/** Describes the machine a local run happens on: kernel, shell and the tools the lab requires. */
export async function describeLocalEnvironment(tools: readonly string[]): Promise<RunEnvironment> {
  const names = ['bash', ...tools.filter((t) => t !== 'root' && t !== 'bash')];
  const versions: Record<string, string> = { kernel: os.release() };
  const found = await Promise.all(names.map(async (t) => [t, await probeVersion(t)] as const));
  for (const [t, v] of found) if (v) versions[t] = v;
  return { target: 'local', versions, os: `${os.type()} ${os.arch()}`, node: process.version };
}
