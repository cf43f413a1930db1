import { writeFileSync } from 'node:fs';
import { kubeEnv, type PrivateKubeconfig } from '../kubeconfig.ts';
import { runTool } from '../tools.ts';

/**
 * Names of the contexts in the user's kubeconfig (`kubectl config get-contexts -o name`): names
 * only, so a typo can be answered with "did you mean"; the current context is not asked for.
 */
export async function listContexts(kubectl: string): Promise<string[] | undefined> {
  const r = await runTool(kubectl, ['config', 'get-contexts', '-o', 'name'], { timeoutMs: 20_000 });
  if (r.exitCode !== 0) return undefined;
  return r.output.split('\n').map((l) => l.trim()).filter(Boolean);
}

/**
 * Copies exactly one named context (with its cluster and user, credentials inlined) from the
 * user's kubeconfig into the private one, and makes it current there. The user's file is only
 * read, with the context named explicitly, so its current-context never matters.
 */
export async function copyContext(kubectl: string, context: string, kubeconfig: PrivateKubeconfig, signal?: AbortSignal): Promise<void> {
  const view = await runTool(kubectl, ['config', 'view', '--minify', '--flatten', '--context', context], { timeoutMs: 30_000, signal });
  if (view.exitCode !== 0 || !view.output.includes('clusters:')) {
    throw new Error(`could not copy context ${context}: \`kubectl config view --minify --flatten --context ${context}\` exited ${view.exitCode}: ${view.output.trim().split('\n')[0] ?? ''}`);
  }
  writeFileSync(kubeconfig.file, view.output, { mode: 0o600 });
  const use = await runTool(kubectl, ['config', 'use-context', context], { env: kubeEnv(kubeconfig.file), timeoutMs: 20_000, signal });
  if (use.exitCode !== 0) throw new Error(`could not select context ${context} in the private kubeconfig: ${use.output.trim()}`);
}

/** The Kubernetes server version behind a kubeconfig, if the server answers. */
export async function readServerVersion(kubectl: string, kubeconfig: string): Promise<string | undefined> {
  const v = await runTool(kubectl, ['version', '-o', 'json'], { env: kubeEnv(kubeconfig), timeoutMs: 30_000 });
  return /"serverVersion"[\s\S]*?"gitVersion":\s*"([^"]+)"/.exec(v.output)?.[1];
}
