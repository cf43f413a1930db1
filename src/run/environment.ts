import { execFile } from 'node:child_process';
import os from 'node:os';
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

/** Asks one tool its version; undefined when it is missing or says nothing we recognise. */
export async function probeVersion(tool: string): Promise<string | undefined> {
  const probe = VERSION_PROBES[tool] ?? { args: ['--version'], pick: /(\d+\.\d+(?:\.\d+)?\S*)/ };
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
