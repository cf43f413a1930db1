import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planTarget } from '../../src/cli/targets.ts';
import { loadLab } from '../../src/parse/load-lab.ts';
import { clearToolCache } from '../../src/run/tools.ts';
import { labs, makeWorld, STANDIN_BIN, startsWith, type World } from './helpers.ts';

/** The user's own kubeconfig: current context prod, and a kind-dev context the lab may use. */
const USER_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- cluster: {server: https://prod.example:6443}
  name: prod
- cluster: {server: https://127.0.0.1:41234}
  name: kind-dev
contexts:
- context:
    cluster: prod
    user: admin
  name: prod
- context:
    cluster: kind-dev
    user: kind-dev
  name: kind-dev
current-context: prod
users: []
`;

async function worldWithUserConfig(...fixtures: string[]): Promise<World> {
  const w = await makeWorld(...fixtures);
  await mkdir(join(w.home, '.kube'));
  writeFileSync(join(w.home, '.kube/config'), USER_KUBECONFIG);
  return w;
}

describe('--target context', () => {
  it('refuses (exit 2) without --context and reads no kubeconfig at all', async () => {
    const w = await worldWithUserConfig('kind-context');
    const r = await labs(w, ['verify', '--target', 'context', 'kind-context']);
    expect(r.exitCode).toBe(2);
    expect(r.all).toContain('--target context needs --context NAME');
    expect(w.calls().filter((c) => c.tool === 'kubectl' && c.argv[0] === 'config')).toEqual([]);
  });

  it('copies only the named context into a private kubeconfig and never reads or changes the current one', async () => {
    const w = await worldWithUserConfig('kind-context');
    const r = await labs(w, ['verify', '--target', 'context', '--context', 'kind-dev', 'kind-context', '--report', 'json=report.json']);
    expect(r.all).toContain('1 passed');
    expect(r.exitCode).toBe(0);
    const calls = w.calls();
    const view = calls.find((c) => startsWith(c, 'kubectl', 'config', 'view'))!;
    expect(view.argv).toEqual(['config', 'view', '--minify', '--flatten', '--context', 'kind-dev']);
    expect(view.kubeconfig).toBeNull(); // read from the user's own file, context named explicitly
    const use = calls.find((c) => startsWith(c, 'kubectl', 'config', 'use-context'))!;
    const private_ = use.kubeconfig!;
    expect(private_).not.toContain(w.home);
    // The block's `kubectl config current-context` ran against the private file and printed kind-dev.
    const current = calls.filter((c) => startsWith(c, 'kubectl', 'config', 'current-context'));
    expect(current.map((c) => c.kubeconfig)).toEqual([private_]);
    // Nothing asked the user's kubeconfig for its current context, and nothing changed it.
    expect(calls.filter((c) => c.tool === 'kubectl' && c.kubeconfig === null && c.argv.includes('current-context'))).toEqual([]);
    expect(readFileSync(join(w.home, '.kube/config'), 'utf8')).toBe(USER_KUBECONFIG);
    expect(existsSync(private_)).toBe(false);
    expect(calls.filter((c) => c.tool === 'kind' && c.argv[0] !== 'version')).toEqual([]);
    const record = JSON.parse(readFileSync(join(w.dir, 'verification/kind-context.json'), 'utf8'));
    expect(record.environment).toMatchObject({ target: 'context', versions: { context: 'kind-dev', kubectl: 'v1.37.1' } });
  });

  it('names the closest context when the given one does not exist', async () => {
    const w = await worldWithUserConfig('kind-context');
    const r = await labs(w, ['verify', '--target', 'context', '--context', 'kind-deb', 'kind-context']);
    expect(r.exitCode).toBe(2);
    expect(r.all).toContain('no context named kind-deb in your kubeconfig — did you mean kind-dev?');
  });

  it('refuses a lab with teardown unless --allow-destructive is given', async () => {
    const w = await worldWithUserConfig('kind-context-teardown');
    const r = await labs(w, ['verify', '--target', 'context', '--context', 'kind-dev', 'kind-context-teardown']);
    expect(r.exitCode).toBe(2);
    expect(r.all).toMatch(/kind-context-teardown\/lab\.yaml:5:1 kind-context-teardown has teardown commands/);
    expect(r.all).toContain('--allow-destructive');
    expect(w.calls().some((c) => startsWith(c, 'kubectl', 'delete'))).toBe(false);
  });

  describe('planTarget with --allow-destructive', () => {
    let saved: NodeJS.ProcessEnv;
    let world: World;
    beforeAll(async () => {
      world = await worldWithUserConfig('kind-context-teardown');
      saved = { ...process.env };
      Object.assign(process.env, world.env, { PATH: `${STANDIN_BIN}:${process.env.PATH}` });
      clearToolCache();
    });
    afterAll(() => {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      clearToolCache();
    });

    it('accepts the lab once the flag is given', async () => {
      const { lab } = await loadLab(join(world.dir, 'kind-context-teardown'), { cwd: world.dir });
      const refused = await planTarget(lab!, { target: 'context', context: 'kind-dev' }, true);
      expect(refused.problems.map((p) => p.message)).toEqual([expect.stringContaining('has teardown commands')]);
      const allowed = await planTarget(lab!, { target: 'context', context: 'kind-dev', allowDestructive: true }, true);
      expect(allowed.problems).toEqual([]);
    });
  });
});
