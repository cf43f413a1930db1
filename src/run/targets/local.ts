import { accessSync, constants, readlinkSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { findTaggedProcesses, killNow, ownStartTime, terminate } from '../process-group.ts';
import { PtySession, openPtySession } from '../pty-session.ts';
import { createNonce, openPipeSession, PINNED_ENV, PipeSession, type SessionContext } from '../session.ts';
import type { CommandOutcome, RunCommandOptions, Session, SessionSpec, Target } from './types.ts';
import { checkSessionCwd, writeFileInside } from '../work-folder.ts';
import { capText, MATCH_CAP } from '../../model/cap-output.ts';

/** The `local` target plus what tests and teardown need to see. */
export interface LocalTarget extends Target {
  readonly name: 'local';
  /** Prefix of the `LABS_SESSION` value of every process this target started. */
  readonly tag: string;
  /** Sessions opened and not yet closed. */
  readonly sessions: readonly Session[];
}

/**
 * Runs sessions on this machine: a persistent bash per session (or `spec.command`, e.g.
 * `ip netns exec n1 bash`), interactive programs in pseudo-terminals. Every process it starts
 * carries a `LABS_SESSION=<tag>.<n>` environment variable, so `dispose()` also finds daemons
 * that left their process group.
 */
export function createLocalTarget(): LocalTarget {
  const tag = `lt-${createNonce()}`;
  const open = new Set<PipeSession | PtySession>();
  let count = 0;
  /** Whether every session closed so far left nothing behind (see `PipeSession.closedClean`). */
  let closedClean = true;

  const track = <S extends PipeSession | PtySession>(session: S): S => {
    open.add(session);
    const close = session.close.bind(session);
    session.close = () =>
      close().finally(() => {
        open.delete(session);
        if (!(session instanceof PipeSession && session.closedClean)) closedClean = false;
      });
    return session;
  };

  return {
    name: 'local',
    tag,
    get sessions() {
      return [...open].filter((s) => s.alive);
    },

    async openSession(spec: SessionSpec): Promise<Session> {
      if (spec.root) await checkSessionCwd(spec.root, spec.cwd, spec.name);
      const session = await openPipeSession(spec, { tag: `${tag}.${++count}` });
      if (spec.root && sharesFilesystem(spec)) guardWrites(session, spec.root);
      return track(capOutputs(session));
    },

    async openInteractive(from: Session, command: string, spec: SessionSpec, opts: RunCommandOptions): Promise<{ session: Session; outcome: CommandOutcome }> {
      const context = await contextOf(from, open);
      const namespacePid = inOtherNamespace(context.shellPid) ? context.shellPid : undefined;
      const { session, outcome } = await openPtySession(
        spec,
        { command, cwd: context.cwd, env: { ...context.env, ...PINNED_ENV, ...spec.env }, tag: `${tag}.${++count}`, namespacePid },
        opts,
      );
      return { session: track(capOutputs(session)), outcome: { ...outcome, output: capText(outcome.output, MATCH_CAP) } };
    },

    async dispose(): Promise<void> {
      // Synchronous SIGKILLs first: if the process is about to exit (Ctrl-C), nothing survives
      // even when the awaits below never run.
      // Only processes younger than this one can carry the tag it made.
      const find = () => findTaggedProcesses(tag, { prefix: true, startedSince: ownStartTime() });
      const stillOpen = [...open];
      // Every session was closed, and each found nothing of itself left once its shell had
      // ended: no process carrying one of their tags was alive then, so none can have started
      // since, and the machine's processes need not be read again.
      if (stillOpen.length === 0 && closedClean) return;
      for (const s of stillOpen) s.killSync();
      let strays = find();
      killNow({ pgids: [], pids: strays.map((p) => p.pid) });
      await Promise.allSettled(stillOpen.map((s) => s.close()));
      // What was killed or closed may have left children behind: look again. When nothing was
      // open and nothing found, nothing could have started one.
      if (stillOpen.length > 0 || strays.length > 0) strays = find();
      open.clear();
      await terminate({ pgids: strays.map((p) => p.pgid), pids: strays.map((p) => p.pid) }, 500);
    },
  };
}

/**
 * Whether a session's shell sees this machine's files: a plain shell, or one in another network
 * namespace (\`ip netns exec … bash\`). Files of other sessions (\`docker exec\`, \`kubectl exec\`)
 * are written by their shell; the static checks keep those paths relative.
 */
function sharesFilesystem(spec: SessionSpec): boolean {
  return !spec.command || /^\s*(?:sudo\s+)?ip\s+(?:-n\S*\s+\S+\s+)?netns\s+exec\s+\S+\s+(?:ba)?sh\b/.test(spec.command) || /^\s*(?:ba)?sh\b/.test(spec.command);
}

/**
 * What a command printed is compared up to {@link MATCH_CAP} (its first and last halves, with a
 * marker line between): a huge output then costs the matcher no more than that. Cutting can
 * only make a block fail, never pass: the marker line matches no expected line.
 */
function capOutputs<S extends PipeSession | PtySession>(session: S): S {
  const run = session.run.bind(session);
  session.run = (command, opts) => run(command, opts).then(capOutcome);
  return session;
}

function capOutcome(o: CommandOutcome): CommandOutcome {
  return o.output.length > MATCH_CAP ? { ...o, output: capText(o.output, MATCH_CAP) } : o;
}

/** `file=` blocks of a session on this machine are written by the runner itself, inside the work folder only. */
function guardWrites(session: PipeSession, root: string): void {
  session.writeFile = async (relPath, content) => {
    const { cwd } = await session.captureContext();
    await writeFileInside(root, cwd, relPath, content);
  };
}

async function contextOf(from: Session, open: Set<PipeSession | PtySession>): Promise<SessionContext> {
  if (!open.has(from as PipeSession | PtySession)) {
    throw new Error(`session "${from.name}" was not opened by this local target; open interactive programs from one of its sessions`);
  }
  if (from instanceof PtySession) {
    // Typed into an interactive program: the best we know is how that program was started.
    return { cwd: from.launch.cwd, env: from.launch.env, shellPid: from.launch.namespacePid ?? 0 };
  }
  return (from as PipeSession).captureContext();
}

/** Whether `pid` lives in another network namespace than this process (e.g. a shell started by `ip netns exec`). */
function inOtherNamespace(pid: number): boolean {
  if (!pid) return false;
  try {
    return readlinkSync(`/proc/${pid}/ns/net`) !== readlinkSync('/proc/self/ns/net');
  } catch {
    return false;
  }
}

/** Debian packages that provide commands labs commonly require. */
const PACKAGE_HINTS: Readonly<Record<string, string>> = {
  ip: 'iproute2',
  tc: 'iproute2',
  ss: 'iproute2',
  bridge: 'iproute2',
  dnsmasq: 'dnsmasq-base',
  busybox: 'busybox-static',
  ping: 'iputils-ping',
  iptables: 'iptables',
  'iptables-save': 'iptables',
  nft: 'nftables',
  nsenter: 'util-linux',
  unshare: 'util-linux',
  curl: 'curl',
  dig: 'bind9-dnsutils',
  nslookup: 'bind9-dnsutils',
  tcpdump: 'tcpdump',
  socat: 'socat',
  nc: 'netcat-openbsd',
  conntrack: 'conntrack',
  ipvsadm: 'ipvsadm',
  ethtool: 'ethtool',
  traceroute: 'traceroute',
  jq: 'jq',
  docker: 'docker.io',
  kind: 'kind (https://kind.sigs.k8s.io)',
  kubectl: 'kubectl (https://kubernetes.io/docs/tasks/tools/)',
};

/**
 * Checks lab.yaml `requires` (contract §2) before anything runs: `root` means an effective uid of 0;
 * any other name is a command that must be on PATH. Each missing one comes with a hint.
 * @example checkRequirements(['root', 'ip']) // { missing: [] } when run as root with iproute2
 */
export function checkRequirements(requires: string[]): { missing: { name: string; hint: string }[] } {
  const missing: { name: string; hint: string }[] = [];
  for (const name of requires) {
    if (name === 'root') {
      if (process.geteuid?.() !== 0) missing.push({ name, hint: 'run as root, e.g. `sudo labs verify …` (network namespaces need it)' });
      continue;
    }
    if (findOnPath(name)) continue;
    const pkg = PACKAGE_HINTS[name];
    missing.push({
      name,
      hint: !pkg
        ? `command "${name}" is not on PATH; install the package that provides it (on Debian, \`apt-file search bin/${name}\` names it), or fix the name in requires:`
        : pkg.includes(' ')
          ? `command "${name}" is not on PATH; install ${pkg}`
          : `command "${name}" is not on PATH; install the Debian package ${pkg} (apt-get install ${pkg})`,
    });
  }
  return { missing };
}

/** Full path of an executable `name` on PATH (plus the sbin directories root usually has), or undefined. */
export function findOnPath(name: string): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
