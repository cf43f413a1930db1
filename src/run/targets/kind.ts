import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { RunEvents } from '../events.ts';
import type { PrivateKubeconfig } from '../kubeconfig.ts';
import { isProcessAlive } from '../process-group.ts';
import { runTool, type ToolRun } from '../tools.ts';
import { readServerVersion } from './context.ts';

/** What the kind target needs to make a cluster for one lab. */
export interface KindClusterSpec {
  labId: string;
  /** Cluster name: the one the lab's pages show (node `<name>-control-plane`, context `kind-<name>`). */
  name: string;
  /** Absolute path of the kind cluster config (lab.yaml `kind.config`). */
  configFile: string;
  /** Node image (lab.yaml `kind.image`); absent = kind's default for its version. */
  nodeImage?: string;
  /** Images pulled on the host and loaded into the nodes before step 1 (lab.yaml `kind.images`). */
  images: string[];
  /** The config sets `networking.disableDefaultCNI: true`: nodes stay NotReady until the lab installs a CNI. */
  disableDefaultCNI: boolean;
  /** Hash of config file + node image: `--reuse` only takes a cluster made from the same ones. */
  configHash: string;
}

/** What a kind config file says that matters here. */
export interface KindConfigFacts {
  name?: string;
  disableDefaultCNI: boolean;
}

/** Reads the kind cluster config; throws an Error whose message says what is wrong. */
export function readKindConfig(file: string): KindConfigFacts {
  const text = readFileSync(file, 'utf8');
  const doc = parseYaml(text) as unknown;
  if (!doc || typeof doc !== 'object') throw new Error('is not a kind cluster config (expected a YAML mapping with kind: Cluster)');
  const d = doc as { kind?: unknown; name?: unknown; networking?: { disableDefaultCNI?: unknown } };
  if (d.kind !== 'Cluster') throw new Error(`has kind: ${JSON.stringify(d.kind ?? null)}, expected kind: Cluster`);
  return {
    name: typeof d.name === 'string' ? d.name : undefined,
    disableDefaultCNI: d.networking?.disableDefaultCNI === true,
  };
}

/** sha256 of the config file's bytes and the node image, for `--reuse`. */
export function hashKindConfig(configFile: string, nodeImage: string | undefined): string {
  return createHash('sha256').update(readFileSync(configFile)).update('\0').update(nodeImage ?? '').digest('hex').slice(0, 16);
}

/**
 * The `kind create cluster` arguments: always `--kubeconfig` (kind must never write the user's
 * ~/.kube/config), `--wait 0s` when the config disables the default CNI (the node cannot become
 * Ready before the lab installs one), otherwise wait for the control plane.
 */
export function buildCreateArgs(spec: KindClusterSpec, kubeconfig: string): string[] {
  return [
    'create',
    'cluster',
    '--name',
    spec.name,
    '--config',
    spec.configFile,
    ...(spec.nodeImage ? ['--image', spec.nodeImage] : []),
    '--kubeconfig',
    kubeconfig,
    '--wait',
    spec.disableDefaultCNI ? '0s' : '5m',
  ];
}

/** Name of the first control-plane node's container. */
export function controlPlaneOf(cluster: string): string {
  return `${cluster}-control-plane`;
}

/** The proof that labs created a cluster: written next to nothing the user owns, read before any reuse or delete. */
export interface ClusterMarker {
  cluster: string;
  /** Docker id of `<cluster>-control-plane`; null while `kind create cluster` runs. */
  containerId: string | null;
  labId: string;
  configHash: string;
  createdAt: string;
  /** The labs process using it now; absent once released (e.g. kept with --keep). */
  pid?: number;
}

/** Folder of the ownership markers: `$XDG_STATE_HOME/labs/kind`, or `~/.local/state/labs/kind`. */
export function markerDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'labs', 'kind');
}

function markerFile(cluster: string): string {
  return join(markerDir(), `${cluster}.json`);
}

/** The marker of a cluster, if labs left one. */
export function readMarker(cluster: string): ClusterMarker | undefined {
  try {
    return JSON.parse(readFileSync(markerFile(cluster), 'utf8')) as ClusterMarker;
  } catch {
    return undefined;
  }
}

function writeMarker(m: ClusterMarker): void {
  mkdirSync(markerDir(), { recursive: true, mode: 0o700 });
  writeFileSync(markerFile(m.cluster), `${JSON.stringify(m, null, 2)}\n`, { mode: 0o600 });
}

function removeMarker(cluster: string): void {
  rmSync(markerFile(cluster), { force: true });
}

/** Who owns an existing cluster of that name, as far as labs can prove. */
export type ClusterOwnership =
  | { state: 'absent' }
  /** Not created by labs (or the proof is gone): never reused, never deleted. */
  | { state: 'foreign' }
  /** Created by labs and in use by another live labs process. */
  | { state: 'busy'; marker: ClusterMarker }
  /** Created by labs, free (kept with --keep, or left by a run that died). */
  | { state: 'ours'; marker: ClusterMarker };

/** Asks kind and docker whether a cluster of that name exists and whether labs made it. */
export async function inspectCluster(kind: string, docker: string, cluster: string): Promise<ClusterOwnership> {
  const list = await runTool(kind, ['get', 'clusters'], { timeoutMs: 30_000 });
  const names = list.output.split('\n').map((l) => l.trim());
  if (!names.includes(cluster)) return { state: 'absent' };
  const marker = readMarker(cluster);
  if (!marker) return { state: 'foreign' };
  const id = await runTool(docker, ['inspect', '--format', '{{.Id}}', controlPlaneOf(cluster)], { timeoutMs: 30_000 });
  const containerId = id.exitCode === 0 ? id.output.trim() : undefined;
  const othersAlive = marker.pid !== undefined && marker.pid !== process.pid && isProcessAlive(marker.pid);
  // containerId null: a labs run was creating it; if that run died, what it left is ours to delete.
  if (marker.containerId !== null && containerId !== marker.containerId) return { state: 'foreign' };
  return othersAlive ? { state: 'busy', marker } : { state: 'ours', marker };
}

/** A cluster the kind target made (or reused) for one lab. */
export interface KindCluster {
  name: string;
  /** The private kubeconfig kind wrote. */
  kubeconfig: string;
  reused: boolean;
  /** Versions seen once the cluster is up (`kubernetes`, `nodeImage`). */
  versions: Record<string, string>;
  /** Deletes the cluster (or keeps it with `keep`), its marker and the kubeconfig. Idempotent; never throws. */
  release(): Promise<void>;
}

/** Options of {@link startKindCluster}. */
export interface StartKindOptions {
  /** Full paths of the tools. */
  tools: { kind: string; docker: string; kubectl: string };
  kubeconfig: PrivateKubeconfig;
  keep: boolean;
  reuse: boolean;
  events?: RunEvents;
  /** Abort (Ctrl-C) stops `kind create cluster` or an image load, and the cluster is deleted before this rejects. */
  signal?: AbortSignal;
  /** Platform images are saved for (the node's). @default linux/<this machine's arch> */
  platform?: string;
}

/** Raised when the run was interrupted while the cluster was being made. */
export class ClusterInterruptedError extends Error {
  override name = 'AbortError';
}

/**
 * Creates the lab's cluster (or reuses one labs made earlier, with `reuse`), then pulls and loads
 * the lab's images. Any failure or an abort on the way deletes what was made (unless `keep`)
 * before the promise rejects, so a Ctrl-C during `kind create cluster` leaves nothing behind.
 */
export async function startKindCluster(spec: KindClusterSpec, o: StartKindOptions): Promise<KindCluster> {
  const ev = o.events ?? {};
  const { kind, docker, kubectl } = o.tools;
  const file = o.kubeconfig.file;
  let made = false;
  let released = false;
  let reused = false;
  const versions: Record<string, string> = {};
  if (spec.nodeImage) versions.nodeImage = spec.nodeImage;

  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    if (!made) {
      o.kubeconfig.remove();
      return;
    }
    if (o.keep) {
      const m = readMarker(spec.name);
      if (m) writeMarker({ ...m, pid: undefined });
      ev.phase?.(`keeping kind cluster ${spec.name} (--keep): KUBECONFIG=${file} kubectl get nodes; delete it with: kind delete cluster --name ${spec.name}`);
      return;
    }
    const logsDir = process.env.LABS_KIND_EXPORT_LOGS;
    if (logsDir) {
      // CI: keep the node logs of every cluster (uploaded when the job fails) before they go.
      ev.phase?.(`kind export logs ${join(logsDir, spec.labId)} --name ${spec.name}`);
      await runTool(kind, ['export', 'logs', join(logsDir, spec.labId), '--name', spec.name], { timeoutMs: 180_000 });
    }
    ev.phase?.(`deleting kind cluster ${spec.name}`);
    const r = await runTool(kind, ['delete', 'cluster', '--name', spec.name, '--kubeconfig', file], { onLine: (l) => ev.progress?.(l), timeoutMs: 180_000 });
    if (r.exitCode === 0) removeMarker(spec.name);
    else ev.progress?.(`could not delete cluster ${spec.name} (exit ${r.exitCode}); delete it with: kind delete cluster --name ${spec.name}`);
    o.kubeconfig.remove();
  };

  const check = (r: ToolRun, what: string) => {
    if (r.aborted || o.signal?.aborted) throw new ClusterInterruptedError(`interrupted while ${what}`);
    if (r.exitCode !== 0) {
      const tail = r.output.trim().split('\n').slice(-8).join('\n');
      throw new Error(`${what} failed (exit ${r.exitCode})${tail ? `:\n${tail}` : ''}`);
    }
  };

  try {
    const owner = await inspectCluster(kind, docker, spec.name);
    if (owner.state === 'foreign') {
      throw new Error(`a kind cluster named ${spec.name} exists and labs did not create it; labs never reuses or deletes such a cluster (delete it yourself with \`kind delete cluster --name ${spec.name}\`, or use --target context)`);
    }
    if (owner.state === 'busy') throw new Error(`kind cluster ${spec.name} is in use by another labs run (pid ${owner.marker.pid})`);
    if (owner.state === 'ours') {
      made = true; // ours to delete from here on
      if (o.reuse && owner.marker.labId === spec.labId && owner.marker.configHash === spec.configHash) {
        ev.phase?.(`reusing kind cluster ${spec.name} (created by labs at ${owner.marker.createdAt})`);
        const r = await runTool(kind, ['get', 'kubeconfig', '--name', spec.name], { timeoutMs: 60_000, signal: o.signal });
        check(r, `kind get kubeconfig --name ${spec.name}`);
        writeFileSync(file, r.output, { mode: 0o600 });
        writeMarker({ ...owner.marker, pid: process.pid });
        reused = true;
      } else {
        ev.phase?.(`deleting kind cluster ${spec.name} left by an earlier labs run${o.reuse ? ' (made from another config, so not reused)' : ''}`);
        const r = await runTool(kind, ['delete', 'cluster', '--name', spec.name, '--kubeconfig', file], { timeoutMs: 180_000 });
        check(r, `kind delete cluster --name ${spec.name}`);
        removeMarker(spec.name);
        made = false;
      }
    }

    if (!reused) {
      const marker: ClusterMarker = { cluster: spec.name, containerId: null, labId: spec.labId, configHash: spec.configHash, createdAt: new Date().toISOString(), pid: process.pid };
      writeMarker(marker);
      made = true; // from the first byte kind writes, the cluster is ours to delete
      ev.phase?.(`creating kind cluster ${spec.name}${spec.nodeImage ? ` (${spec.nodeImage})` : ''}${spec.disableDefaultCNI ? ', no default CNI: not waiting for Ready' : ''}`);
      const r = await runTool(kind, buildCreateArgs(spec, file), { onLine: (l) => ev.progress?.(l.trim()), signal: o.signal, timeoutMs: 15 * 60_000 });
      check(r, 'kind create cluster');
      const id = await runTool(docker, ['inspect', '--format', '{{.Id}}', controlPlaneOf(spec.name)], { timeoutMs: 30_000 });
      writeMarker({ ...marker, containerId: id.exitCode === 0 ? id.output.trim() : null });
    }

    await loadImages(spec, { ...o, events: ev }, check);

    const server = await readServerVersion(kubectl, file);
    if (server) versions.kubernetes = server;
  } catch (e) {
    await release();
    throw e;
  }
  return { name: spec.name, kubeconfig: file, reused, versions, release };
}

/**
 * Pulls each image on the host, saves it for the node's platform and loads the archive into the
 * cluster. `docker image save --platform` + `kind load image-archive` instead of
 * `kind load docker-image`: with Docker's containerd image store, multi-arch images otherwise
 * fail with "ctr: content digest … not found" (kind #3795).
 */
async function loadImages(spec: KindClusterSpec, o: StartKindOptions & { events: RunEvents }, check: (r: ToolRun, what: string) => void): Promise<void> {
  const ev = o.events;
  const platform = o.platform ?? `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`;
  const n = spec.images.length;
  if (n === 0) return;
  ev.phase?.(`loading ${n} image${n === 1 ? '' : 's'} into ${spec.name}`);
  for (const [i, image] of spec.images.entries()) {
    const tag = `image ${i + 1}/${n} ${image}`;
    ev.progress?.(`${tag}: pulling`);
    const pull = await runTool(o.tools.docker, ['pull', image], {
      signal: o.signal,
      timeoutMs: 10 * 60_000,
      onLine: (l) => {
        if (/^(Status|Digest):|error/i.test(l)) ev.progress?.(`${tag}: ${l.trim()}`);
      },
    });
    check(pull, `docker pull ${image}`);
    const archive = join(o.kubeconfig.dir, `image-${i + 1}.tar`);
    ev.progress?.(`${tag}: saving (${platform}) and loading into ${spec.name}`);
    check(await runTool(o.tools.docker, ['image', 'save', '--platform', platform, '-o', archive, image], { signal: o.signal, timeoutMs: 10 * 60_000 }), `docker image save ${image}`);
    check(await runTool(o.tools.kind, ['load', 'image-archive', archive, '--name', spec.name], { signal: o.signal, timeoutMs: 10 * 60_000 }), `kind load image-archive (${image})`);
    if (existsSync(archive)) rmSync(archive, { force: true });
    ev.progress?.(`${tag}: loaded`);
  }
}
