import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import type { Lab } from '../model/lab.ts';
import { selectK8sVersion, versionMinor } from '../model/k8s-matrix.ts';
import type { RecordKubernetes } from '../record/types.ts';
import { didYouMean, type Location, type Problem } from '../model/location.ts';
import type { RunEnvironment } from '../model/result.ts';
import { describeLocalEnvironment } from '../run/environment.ts';
import { createClusterTarget, createIsolatedLocalTarget, createPrivateKubeconfig } from '../run/kubeconfig.ts';
import { copyContext, listContexts, readServerVersion } from '../run/targets/context.ts';
import { controlPlaneOf, hashKindConfig, inspectCluster, readKindConfig, startKindCluster, type KindClusterSpec } from '../run/targets/kind.ts';
import { checkRequirements } from '../run/targets/local.ts';
import type { Target } from '../run/targets/types.ts';
import type { RunEvents } from '../run/events.ts';
import { checkDockerDaemon, checkTools, type ToolStatus } from '../run/tools.ts';

export type TargetName = 'local' | 'kind' | 'context';

/** Command-line options that shape a target. */
export interface TargetOptions {
  target?: TargetName;
  /** Kube context for `--target context`; never guessed from the current context. */
  context?: string;
  /** Keep the kind cluster after the run. */
  keep?: boolean;
  /** Reuse a kind cluster an earlier run created (and kept) for the same lab and config. */
  reuse?: boolean;
  /** `--allow-destructive`: run a lab's `teardown` against an existing cluster (`--target context`). */
  allowDestructive?: boolean;
  /**
   * `--k8s <minor>`: run a kind lab on that Kubernetes minor release, from the node image its
   * lab.yaml pins for it (`kind.image`, or a `kind.matrix` entry), and record it as
   * `<lab>@<minor>.json` unless it is the pinned image's release.
   */
  k8s?: string;
}

/** What a lab needs to run, once its target is ready. */
export interface PreparedTarget {
  target: Target;
  environment: RunEnvironment;
  /** Example value → actual value known before the run (e.g. the node IP). */
  initialBindings: Record<string, string>;
  /** Releases what `prepare` made that the target's dispose() does not (e.g. a cluster). */
  release(): Promise<void>;
  /** A `--k8s` matrix run: the record's name (`<lab>@<minor>`) and the Kubernetes it ran on. */
  record?: { name: string; kubernetes: RecordKubernetes };
}

/** A plan for one lab's target: static checks first (exit 2 on problems), then prepare. */
export interface TargetPlan {
  name: TargetName;
  /** Missing tools, wrong versions, an unnamed context: everything that must stop the run before it starts. */
  problems: Problem[];
  /** When this lab was not asked for by name and its target is unavailable here: why it is skipped. */
  skipReason?: string;
  prepare(events: RunEvents, signal: AbortSignal): Promise<PreparedTarget>;
}

/** How to get the pinned tools; shown with every missing or mismatched tool. */
const INSTALL_HINT =
  'install the versions pinned in tools.json with `node scripts/install-tools.ts --dir .tools/bin` and put .tools/bin first on PATH; labs that need only this machine run with --target local';
const DOCKER_HINT = 'install Docker Engine (https://docs.docker.com/engine/install/) and check that `docker ps` works for this user: kind runs its nodes as Docker containers';

/** Chooses and checks the target of a lab. `explicit` is true when the user named the lab. */
export async function planTarget(lab: Lab, o: TargetOptions, explicit: boolean): Promise<TargetPlan> {
  const name = o.target ?? lab.config.target;
  if (o.k8s !== undefined && (name !== 'kind' || lab.config.target !== 'kind')) {
    const problem: Problem = { stage: 'cli', location: locateKey(lab, 'target'), message: `--k8s ${o.k8s} picks a kind node image, and ${lab.id} ${lab.config.target !== 'kind' ? `is a ${lab.config.target} lab` : `runs on --target ${name}`}`, hint: 'use --k8s with kind labs on the kind target only' };
    return refuse(name, [problem], explicit || o.target !== undefined);
  }
  if ((name === 'kind' || name === 'context') && lab.config.target === 'local') return localLabOnCluster(lab, name, explicit);
  // Naming the target is as explicit as naming the lab: what is missing for it is an error.
  if (name === 'kind') return planKind(lab, o, explicit || o.target !== undefined);
  if (name === 'context') return planContext(lab, o);
  if (lab.config.target !== 'local') {
    // A kind lab's sessions need a cluster (docker exec into its node, kubectl against it).
    const problem: Problem = { stage: 'cli', location: locateKey(lab, 'target'), message: `${lab.id} is a ${lab.config.target} lab: it needs a cluster`, hint: 'run it with --target kind, or --target context --context NAME' };
    return refuse('local', [problem], explicit);
  }
  const { missing } = checkRequirements(lab.config.requires ?? []);
  return {
    name,
    problems: missing.map((m) => ({ stage: 'cli', location: locateRequirement(lab, m.name), message: `requires ${m.name}, which is missing here`, hint: m.hint })),
    async prepare() {
      return {
        target: createIsolatedLocalTarget(),
        environment: await describeLocalEnvironment(lab.config.requires ?? []),
        initialBindings: {},
        release: async () => {},
      };
    },
  };
}

/** A plan that cannot run: problems when the lab was asked for, a skip reason otherwise. */
function refuse(name: TargetName, problems: Problem[], explicit: boolean): TargetPlan {
  const first = problems[0];
  return {
    name,
    problems: explicit ? problems : [],
    skipReason: explicit || !first ? undefined : `${first.message}${first.hint ? ` (${first.hint})` : ''}`,
    prepare: () => Promise.reject(new Error(first?.message ?? 'target unavailable')),
  };
}

/** A local lab asked to run on a cluster target. */
function localLabOnCluster(lab: Lab, name: 'kind' | 'context', paths: boolean): TargetPlan {
  const problem: Problem = {
    stage: 'cli',
    location: locateKey(lab, 'target'),
    message: `${lab.id} is a local lab (target: local): it runs on this machine, not on a cluster`,
    hint: 'run it with --target local, or leave --target out',
  };
  return refuse(name, [problem], paths);
}

async function planKind(lab: Lab, o: TargetOptions, explicit: boolean): Promise<TargetPlan> {
  const problems: Problem[] = [];
  const add = (location: Location, message: string, hint?: string) => problems.push({ stage: 'cli', location, message, hint });
  const kindConfig = lab.config.kind;
  if (!kindConfig) {
    add(locateKey(lab, 'target'), 'target kind needs a kind: section with the cluster config', 'add kind: { config: kind.yaml } to lab.yaml');
    return refuse('kind', problems, explicit);
  }

  const configFile = resolve(lab.dir, kindConfig.config);
  let disableDefaultCNI = false;
  let configName: string | undefined;
  try {
    const facts = readKindConfig(configFile);
    disableDefaultCNI = facts.disableDefaultCNI;
    configName = facts.name;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? `does not exist (${configFile})` : (e as Error).message;
    add(locateKey(lab, 'config'), `kind config ${kindConfig.config} ${why}`, 'kind.config is a kind cluster config (kind: Cluster), relative to the lab folder');
  }
  const cluster = kindConfig.name ?? configName ?? 'kind';
  checkNodeNames(lab, cluster, add);
  const imageOverride = process.env.LABS_KIND_NODE_IMAGE;
  let k8s: { image: string | undefined; record: string; pinned: boolean; kubernetes: string } | undefined;
  if (o.k8s !== undefined) {
    const sel = selectK8sVersion(lab.id, lab.config, o.k8s);
    if ('problem' in sel) add(locateKey(lab, sel.key), sel.problem, sel.hint);
    else k8s = sel;
    if (imageOverride) add({ file: '(command line)', line: 1, column: 1 }, `--k8s ${o.k8s} and LABS_KIND_NODE_IMAGE=${imageOverride} both choose the node image`, 'unset LABS_KIND_NODE_IMAGE: with --k8s the image comes from lab.yaml');
    // Without a matching entry there is nothing else worth checking for this lab.
    if (!k8s) return refuse('kind', problems, explicit);
  }

  const pinMode = process.env.LABS_TOOL_PINS === 'warn' ? 'warn' : 'enforce';
  const tools = await checkTools(['docker', 'kind', 'kubectl'], lab.config.tools ?? {}, pinMode);
  for (const t of tools.problems) add(locateKey(lab, lab.config.tools?.[t.tool] ? 'tools' : 'target'), t.message, t.tool === 'docker' ? DOCKER_HINT : INSTALL_HINT);
  const paths = toolPaths(tools.found);
  if (paths.docker) {
    const down = await checkDockerDaemonOnce(paths.docker);
    if (down) add(locateKey(lab, 'target'), `Docker does not answer: ${down}`, 'start the Docker daemon (e.g. `sudo systemctl start docker`) and check that this user may use it (the docker group); kind runs its nodes as Docker containers');
  }
  if (problems.length === 0 && paths.docker && paths.kind) {
    const owner = await inspectCluster(paths.kind, paths.docker, cluster);
    if (owner.state === 'foreign') {
      add(
        locateKey(lab, 'kind'),
        `a kind cluster named ${cluster} already exists and labs did not create it; labs never reuses or deletes a cluster it did not create`,
        `delete it yourself if you no longer need it (\`kind delete cluster --name ${cluster}\`), or run the lab against it with --target context --context kind-${cluster}`,
      );
    } else if (owner.state === 'busy') {
      add(locateKey(lab, 'kind'), `kind cluster ${cluster} is in use by another labs run (pid ${owner.marker.pid})`, 'wait for that run to finish');
    }
  }
  if (problems.length > 0) return refuse('kind', problems, explicit);

  const nodeImage = k8s ? k8s.image : imageOverride === 'default' ? undefined : imageOverride || kindConfig.image;
  const spec: KindClusterSpec = {
    labId: lab.id,
    name: cluster,
    configFile,
    nodeImage,
    images: kindConfig.images ?? [],
    disableDefaultCNI,
    configHash: hashKindConfig(configFile, nodeImage),
  };
  return {
    name: 'kind',
    problems: [],
    async prepare(events, signal) {
      for (const w of tools.warnings) events.progress?.(`warning: ${w} (LABS_TOOL_PINS=warn)`);
      const kubeconfig = createPrivateKubeconfig();
      const made = await startKindCluster(spec, {
        tools: { kind: paths.kind!, docker: paths.docker!, kubectl: paths.kubectl! },
        kubeconfig,
        keep: o.keep === true,
        reuse: o.reuse === true,
        events,
        signal,
      });
      if (k8s) {
        // The record will say "verified on Kubernetes <minor>": only if the server says so too.
        const server = made.versions.kubernetes;
        if (versionMinor(server) !== k8s.kubernetes) {
          await made.release();
          throw new Error(
            server
              ? `the cluster made from ${k8s.image} reports Kubernetes ${server}, not ${k8s.kubernetes}; check the kind.matrix entry's image in lab.yaml`
              : `the cluster made from ${k8s.image} did not report its Kubernetes version, so a run cannot be recorded as Kubernetes ${k8s.kubernetes}`,
          );
        }
      }
      return {
        target: createClusterTarget('kind', made.kubeconfig),
        environment: describeClusterEnvironment('kind', tools.found, { cluster, ...made.versions }),
        initialBindings: {},
        release: made.release,
        ...(k8s && !k8s.pinned ? { record: { name: k8s.record, kubernetes: { minor: k8s.kubernetes, nodeImage: k8s.image!, ...(made.versions.kubernetes ? { server: made.versions.kubernetes } : {}) } } } : {}),
      };
    },
  };
}

/** `--target context` is always asked for by name, so whatever is missing is an error, never a skip. */
async function planContext(lab: Lab, o: TargetOptions): Promise<TargetPlan> {
  const problems: Problem[] = [];
  const add = (location: Location, message: string, hint?: string) => problems.push({ stage: 'cli', location, message, hint });
  const at = locateKey(lab, 'target');
  const context = o.context;
  if (!context) {
    add(at, '--target context needs --context NAME: labs never uses your current kube context', 'name the context to run against, e.g. --context kind-kind (`kubectl config get-contexts -o name` lists them)');
    // Without a name there is nothing more to check, and this must stop even an unnamed-lab run.
    return refuse('context', problems, true);
  }
  if ((lab.config.teardown ?? []).length > 0 && !o.allowDestructive) {
    add(
      locateKey(lab, 'teardown'),
      `${lab.id} has teardown commands, which would run against context ${context}, a cluster labs did not create`,
      'pass --allow-destructive to run them there, or give the lab its own cluster with --target kind',
    );
  }
  const pins = Object.fromEntries(Object.entries(lab.config.tools ?? {}).filter(([t]) => t !== 'kind'));
  const tools = await checkTools(['kubectl'], pins, process.env.LABS_TOOL_PINS === 'warn' ? 'warn' : 'enforce');
  for (const t of tools.problems) add(locateKey(lab, lab.config.tools?.[t.tool] ? 'tools' : 'target'), t.message, INSTALL_HINT);
  const kubectl = toolPaths(tools.found).kubectl;
  if (kubectl) {
    const names = await listContexts(kubectl);
    if (names && !names.includes(context)) {
      const near = didYouMean(context, names);
      add(at, `no context named ${context} in your kubeconfig`, near ? `did you mean ${near}?` : `the contexts are: ${names.join(', ') || '(none)'}`);
    }
  }
  if (problems.length > 0) return refuse('context', problems, true);
  return {
    name: 'context',
    problems: [],
    async prepare(events, signal) {
      for (const w of tools.warnings) events.progress?.(`warning: ${w} (LABS_TOOL_PINS=warn)`);
      events.phase?.(`copying context ${context} into a private kubeconfig`);
      const kubeconfig = createPrivateKubeconfig('labs-context-');
      try {
        await copyContext(kubectl!, context, kubeconfig, signal);
      } catch (e) {
        kubeconfig.remove();
        throw e;
      }
      const server = await readServerVersion(kubectl!, kubeconfig.file);
      return {
        target: createClusterTarget('context', kubeconfig.file),
        environment: describeClusterEnvironment('context', tools.found, { context, ...(server ? { kubernetes: server } : {}) }),
        initialBindings: {},
        release: async () => kubeconfig.remove(),
      };
    },
  };
}

/**
 * A session command that names another cluster's node (`docker exec -i other-control-plane bash`)
 * would fail only once the run reaches it; say so before anything runs.
 */
function checkNodeNames(lab: Lab, cluster: string, add: (at: Location, message: string, hint?: string) => void): void {
  for (const [name, def] of Object.entries(lab.config.sessions ?? {})) {
    for (const m of (def.command ?? '').matchAll(/([\w.-]+)-control-plane\b/g)) {
      if (m[1] !== cluster) {
        add(locateKey(lab, name), `session ${name} runs \`${def.command}\`, but the cluster is named ${cluster}, so its node is ${controlPlaneOf(cluster)}`, `use ${controlPlaneOf(cluster)}, or name the cluster ${m[1]} (kind.name in lab.yaml or name: in the kind config)`);
      }
    }
  }
}

function toolPaths(found: ToolStatus[]): Record<string, string | undefined> {
  return Object.fromEntries(found.map((s) => [s.tool, s.path]));
}

const daemonChecks = new Map<string, Promise<string | undefined>>();
function checkDockerDaemonOnce(docker: string): Promise<string | undefined> {
  let p = daemonChecks.get(docker);
  if (!p) daemonChecks.set(docker, (p = checkDockerDaemon(docker)));
  return p;
}

function describeClusterEnvironment(target: 'kind' | 'context', found: ToolStatus[], extra: Record<string, string>): RunEnvironment {
  const versions: Record<string, string> = {};
  for (const s of found) if (s.version) versions[s.tool] = s.version;
  return { target, versions: { ...versions, ...extra }, os: `${os.type()} ${os.arch()}`, node: process.version };
}

/** Location of one entry of `requires:` in lab.yaml (the key's line when the entry is not found). */
function locateRequirement(lab: Lab, name: string): Location {
  const key = locateKey(lab, 'requires');
  try {
    const lines = readFileSync(join(lab.dir, 'lab.yaml'), 'utf8').split('\n');
    const escaped = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
    const re = new RegExp(`(^|[\\s\\[,"'-])${escaped}(?=$|[\\s\\],"'#])`);
    for (let i = key.line - 1; i < lines.length; i++) {
      const line = i === key.line - 1 ? (lines[i] ?? '').slice(key.column - 1 + 'requires'.length) : (lines[i] ?? '');
      const m = re.exec(line);
      if (m) return { file: lab.configFile, line: i + 1, column: (lines[i] ?? '').length - line.length + m.index + m[1]!.length + 1 };
      if (i > key.line - 1 && /^\S/.test(lines[i] ?? '')) break; // the next top-level key
    }
  } catch {
    // the key's line will do
  }
  return key;
}

/** Location of a key in lab.yaml (its first occurrence, block or flow style), e.g. `tools` or `config`; line 1 when not found. */
function locateKey(lab: Lab, key: string): Location {
  try {
    const lines = readFileSync(join(lab.dir, 'lab.yaml'), 'utf8').split('\n');
    const escaped = key.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
    const re = new RegExp(`(^|[\\s{,-])["']?${escaped}["']?\\s*:`);
    for (const [i, l] of lines.entries()) {
      const m = re.exec(l);
      if (m) return { file: lab.configFile, line: i + 1, column: l.indexOf(key, m.index) + 1 };
    }
  } catch {
    // fall through to the top of the file
  }
  return { file: lab.configFile, line: 1, column: 1 };
}
