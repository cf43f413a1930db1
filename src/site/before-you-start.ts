import type { CommandBlock } from '../model/block.ts';
import { HOST_SESSION, type LabConfig } from '../model/lab.ts';
import type { SiteLab } from './load-site.ts';

/** What a learner needs to know before step 1, all derived from lab.yaml, the steps and the record. */
export interface BeforeYouStart {
  /** Systems the lab runs on, and what does not work where. */
  systems: string[];
  /** Debian/Ubuntu packages for `requires`, and the command that installs them. */
  packages?: { names: string[]; command: string };
  /** Requirements that are not packages (root). */
  notes: string[];
  /** The terminals (sessions) the lab types into, with how each is opened. */
  terminals: { name: string; label: string; how: string }[];
  /** Steps whose host commands reach the kind network (not reachable from Docker Desktop), with those commands. */
  caveats: { step: number; title: string; commands: string[] }[];
  /**
   * Time per step: the checker's recorded run time plus a reading allowance; `minutes` is absent
   * for a step without a complete recorded run (its commands' time is not known).
   */
  times: { step: number; title: string; minutes?: number; recordedMs?: number }[];
  /** Total of `times`, in minutes, when every step has one. */
  totalMinutes?: number;
}

/** Debian and Ubuntu package of each `requires:` command the runner checks for. */
const DEBIAN_PACKAGES: Record<string, string> = {
  ip: 'iproute2',
  iptables: 'iptables',
  busybox: 'busybox-static',
  dnsmasq: 'dnsmasq-base',
  ping: 'iputils-ping',
  curl: 'curl',
  nft: 'nftables',
  tcpdump: 'tcpdump',
  conntrack: 'conntrack',
};

/** Whether a local lab's `requires:` says it changes the host's network (root, `ip`, `iptables`, `nft`). */
export function buildsNamespaces(requires: readonly string[]): boolean {
  return requires.some((r) => r === 'root' || r === 'ip' || r === 'iptables' || r === 'nft');
}

/** Reading and typing time per block, on top of what the checker's run took. @default 45 s */
export const READING_MS_PER_BLOCK = 45_000;

/**
 * Builds a lab's "before you start" from what the project knows: its target, `requires:`,
 * sessions and bindings in lab.yaml, its steps, and the durations of the last recorded run.
 */
export function beforeYouStart(lab: SiteLab): BeforeYouStart {
  const config = lab.config;
  const requires = config.requires ?? [];
  const pkgs = requires.filter((r) => r !== 'root').map((r) => DEBIAN_PACKAGES[r] ?? r);
  const notes = requires.includes('root') ? ['Root: the commands change network settings, so run them as root (a root shell, or sudo).'] : [];
  const tools = Object.entries(lab.tools);
  if (lab.target === 'kind') {
    notes.push(
      `Docker, and ${tools.length > 0 ? tools.map(([t, v]) => `${t} ${v}`).join(', ') : 'kind and kubectl'} (the versions the checker uses). Docker runs each kind node as a container and the lab pulls a few images into it: leave Docker a few gigabytes of memory and disk.`,
    );
  }

  const systems =
    lab.target === 'kind'
      ? [
          'Linux with Docker: everything works as shown.',
          'Docker Desktop on macOS or Windows: kind runs, but its nodes live inside Docker’s virtual machine, so addresses on the kind network (a node’s address, a LoadBalancer address) cannot be reached from your own terminal. The steps listed below say where; run those commands from the node (docker exec) instead.',
        ]
      : buildsNamespaces(requires)
        ? ['Linux only: the lab builds network namespaces, which macOS and Windows do not have. A Linux virtual machine works.']
        : ['A terminal with bash and the commands listed here; the checker runs it on Linux.'];

  const sessions = config.sessions ?? {};
  const names = [HOST_SESSION, ...Object.keys(sessions).filter((n) => n !== HOST_SESSION)];
  const terminals = names.map((name) => {
    const def = sessions[name];
    const opener = lab.steps.flatMap((s, i) => s.blocks.flatMap((b) => (b.kind === 'command' && b.options.opens === name ? [i + 1] : [])))[0];
    const how =
      name === HOST_SESSION
        ? 'the terminal you start in'
        : def?.command
          ? `opened with ${def.command}`
          : opener !== undefined
            ? `opened by a command in step ${opener}`
            : 'opened when a step says so';
    return { name, label: name === HOST_SESSION ? 'your machine' : name, how };
  });

  const caveats = lab.target === 'kind' ? kindNetworkSteps(lab) : [];

  const results = new Map((lab.record?.blocks ?? []).map((r) => [r.id, r]));
  const times = lab.steps.map((s, i) => {
    const blocks = s.blocks.filter((b) => b.kind === 'command');
    // Skipped blocks are never run, so never recorded: the reader still types them.
    const runnable = blocks.filter((b) => b.kind !== 'command' || b.options.skip === undefined);
    const complete = runnable.every((b) => results.get(b.id)?.durationMs !== undefined);
    if (!complete) return { step: i + 1, title: s.title };
    const recordedMs = runnable.reduce((a, b) => a + results.get(b.id)!.durationMs, 0);
    const minutes = Math.max(1, Math.ceil((recordedMs + blocks.length * READING_MS_PER_BLOCK) / 60_000));
    return { step: i + 1, title: s.title, minutes, recordedMs };
  });
  const total = times.every((t) => t.minutes !== undefined) ? times.reduce((a, t) => a + t.minutes!, 0) : undefined;
  return {
    systems,
    ...(pkgs.length > 0 ? { packages: { names: pkgs, command: `sudo apt-get install ${pkgs.join(' ')}` } } : {}),
    notes,
    terminals,
    caveats,
    times,
    ...(total !== undefined ? { totalMinutes: total } : {}),
  };
}

/**
 * Steps whose commands, typed on your own machine, reach an address on the kind network: one
 * in the /16 of an address lab.yaml computes from Docker's kind network (`bindings`). Docker
 * Desktop on macOS and Windows does not route those addresses to the host.
 */
export function kindNetworkSteps(lab: SiteLab): BeforeYouStart['caveats'] {
  const prefixes = kindNetworkPrefixes(lab.config);
  if (prefixes.size === 0) return [];
  const out: BeforeYouStart['caveats'] = [];
  lab.steps.forEach((s, i) => {
    const commands = s.blocks.flatMap((b) => (b.kind === 'command' ? kindNetworkCommands(b, prefixes) : []));
    if (commands.length > 0) out.push({ step: i + 1, title: s.title, commands });
  });
  return out;
}

/**
 * The /16 prefixes (`172.18`) of the addresses a kind lab computes from Docker's kind network
 * (lab.yaml `bindings`); empty for other labs.
 */
export function kindNetworkPrefixes(config: Pick<LabConfig, 'target' | 'bindings'>): Set<string> {
  if (config.target !== 'kind') return new Set();
  return new Set(
    Object.keys(config.bindings ?? {})
      .map((v) => /^(\d+\.\d+)\.\d+\.\d+$/.exec(v)?.[1])
      .filter((p): p is string => p !== undefined),
  );
}

/** First lines of a block's commands that, typed on your own machine, use an address on the kind network. */
export function kindNetworkCommands(block: CommandBlock, prefixes: ReadonlySet<string>): string[] {
  if (block.options.session !== HOST_SESSION || prefixes.size === 0) return [];
  return block.commands
    .filter((c) => [...c.text.matchAll(/\b(\d+\.\d+)\.\d+\.\d+\b/g)].some((m) => prefixes.has(m[1]!)))
    .map((c) => c.text.split('\n')[0]!);
}

/** The note under such a block. */
export const KIND_NETWORK_NOTE =
  'Docker Desktop on macOS or Windows cannot reach this address from your own terminal: the kind network lives inside its virtual machine. Run it from the node instead (docker exec -it kind-control-plane bash).';
