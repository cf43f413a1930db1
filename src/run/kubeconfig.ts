import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createLocalTarget } from './targets/local.ts';
import type { Target } from './targets/types.ts';

/** A kubeconfig file only this run uses: mode 600 in a mode 700 temp folder. */
export interface PrivateKubeconfig {
  /** The folder holding it (mode 700). */
  dir: string;
  /** The kubeconfig file (mode 600); empty until a tool writes it. */
  file: string;
  /** Removes the folder and the file. Idempotent. */
  remove(): void;
}

/**
 * Makes a private kubeconfig for one run. Every session of a cluster target gets
 * `KUBECONFIG=<file>`, so kubectl, kind, helm, cilium and linkerd read and write only this file:
 * the user's own `~/.kube/config` and their current context are never read or changed.
 */
export function createPrivateKubeconfig(prefix = 'labs-kube-'): PrivateKubeconfig {
  const dir = mkdtempSync(join(tmpdir(), prefix)); // mkdtemp makes it 0700
  chmodSync(dir, 0o700);
  const file = join(dir, 'kubeconfig');
  writeFileSync(file, '', { mode: 0o600 });
  chmodSync(file, 0o600); // a umask can't widen it, but a pre-existing mode could
  let removed = false;
  return {
    dir,
    file,
    remove() {
      if (removed) return;
      removed = true;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The kube environment of a private kubeconfig: the file, and a discovery and HTTP cache next to
 * it (kubectl's `KUBECACHEDIR`), so nothing is read from or written to `~/.kube`.
 */
export function kubeEnv(kubeconfig: string): { KUBECONFIG: string; KUBECACHEDIR: string } {
  return { KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dirname(kubeconfig), 'cache') };
}

/**
 * The local target with a private, empty kube environment: a local lab's \`kubectl config …\`
 * or \`kind\` never reads or changes the caller's kubeconfig. A lab that names its own
 * KUBECONFIG or KUBECACHEDIR in a session's \`env:\` gets it. The folder goes with the target.
 */
export function createIsolatedLocalTarget(): Target {
  const kube = createPrivateKubeconfig('labs-local-kube-');
  const local = createLocalTarget();
  const env = kubeEnv(kube.file);
  return {
    name: 'local',
    tag: local.tag,
    tempDirs: [kube.dir],
    openSession: (spec) => local.openSession({ ...spec, env: { ...env, ...spec.env } }),
    openInteractive: (from, command, spec, opts) => local.openInteractive(from, command, { ...spec, env: { ...env, ...spec.env } }, opts),
    dispose: async () => {
      try {
        await local.dispose();
      } finally {
        kube.remove();
      }
    },
  };
}

/** A target whose sessions all see `KUBECONFIG=<file>` (it wins over a lab's session `env:`). */
export interface ClusterTarget extends Target {
  /** The private kubeconfig every session uses. */
  readonly kubeconfig: string;
}

/**
 * Wraps the local target: same shells and pseudo-terminals, but each session (and each
 * interactive program such as `kubectl run client -it …`) gets the private KUBECONFIG.
 */
export function createClusterTarget(name: 'kind' | 'context', kubeconfig: string): ClusterTarget {
  const local = createLocalTarget();
  const env = kubeEnv(kubeconfig);
  return {
    name,
    kubeconfig,
    tag: local.tag,
    openSession: (spec) => local.openSession({ ...spec, env: { ...spec.env, ...env } }),
    openInteractive: (from, command, spec, opts) => local.openInteractive(from, command, { ...spec, env: { ...spec.env, ...env } }, opts),
    dispose: () => local.dispose(),
  };
}
