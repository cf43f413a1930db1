/**
 * `labs verify --k8s <minor>` against the recording stand-ins: the cluster is created from the
 * node image lab.yaml pins for that release, the record is `<lab>@<minor>.json` and says which
 * Kubernetes it ran on, and every way of asking for a release the lab does not pin stops before
 * a cluster is made. The kubectl stand-in reports the version in the node image's tag, so a
 * cluster that runs another release than the one asked for is caught as it would be for real.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labs, makeWorld, startsWith, type World } from './helpers.ts';

const PINNED = 'kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5';
// From the notes of kind v0.33.0 (as in content/labs/k8s-networking-101/lab.yaml).
const V136 = 'kindest/node:v1.36.4@sha256:099e049362a1526b2db71494e1947aae99bd16290d7c895f2b7ea312e3cbfaed';

/** kind-basic with a matrix: 1.36 ready, 1.35 listed without an image. */
async function matrixWorld(): Promise<World> {
  const w = await makeWorld('kind-basic', 'local-lab');
  const file = join(w.dir, 'kind-basic/lab.yaml');
  const text = readFileSync(file, 'utf8').replace(`  image: ${PINNED}\n`, `  image: ${PINNED}\n  matrix:\n    - kubernetes: '1.36'\n      image: ${V136}\n    - kubernetes: '1.35'\n`);
  expect(text).toContain("kubernetes: '1.36'");
  writeFileSync(file, text);
  return w;
}

const created = (w: World) => w.calls().filter((c) => startsWith(c, 'kind', 'create', 'cluster'));
const imageOf = (argv: string[]) => argv[argv.indexOf('--image') + 1];
const record = (w: World, name: string) => JSON.parse(readFileSync(join(w.dir, 'out', `${name}.json`), 'utf8')) as { lab: string; kubernetes?: unknown; summary: { passed: number } };

describe('labs verify --k8s <minor> (kind labs, recording stand-ins)', () => {
  it('creates the cluster from the matrix image and writes <lab>@<minor>.json saying which Kubernetes it ran on', async () => {
    const w = await matrixWorld();
    const r = await labs(w, ['verify', 'kind-basic', '--k8s', '1.36', '--records', 'out']);
    expect(r.exitCode, r.all).toBe(0);
    expect(created(w).map((c) => imageOf(c.argv))).toEqual([V136]);
    expect(existsSync(join(w.dir, 'out/kind-basic.json'))).toBe(false);
    const rec = record(w, 'kind-basic@1.36');
    expect(rec.lab).toBe('kind-basic');
    expect(rec.kubernetes).toEqual({ minor: '1.36', nodeImage: V136, server: 'v1.36.4' });
    expect(rec.summary.passed).toBeGreaterThan(0);
    expect(r.all).toContain('record: out/kind-basic@1.36.json');
  });

  it('takes the pinned image, and writes the pinned record, for the pinned image\'s own release', async () => {
    const w = await matrixWorld();
    const r = await labs(w, ['verify', 'kind-basic', '--k8s', '1.37', '--records', 'out']);
    expect(r.exitCode, r.all).toBe(0);
    expect(created(w).map((c) => imageOf(c.argv))).toEqual([PINNED]);
    expect(record(w, 'kind-basic').kubernetes).toBeUndefined();
    expect(existsSync(join(w.dir, 'out/kind-basic@1.37.json'))).toBe(false);
  });

  it('refuses a release the lab does not list, and one listed without a pinned image, naming lab.yaml and what to add', async () => {
    const w = await matrixWorld();
    const missing = await labs(w, ['verify', 'kind-basic', '--k8s', '1.34', '--records', 'out']);
    expect(missing.exitCode).toBe(2);
    expect(missing.all).toMatch(/kind-basic\/lab\.yaml:\d+:\d+/);
    expect(missing.all).toContain('Kubernetes 1.34 is not among the versions kind-basic is verified on (1.37 (kind.image), 1.36, 1.35)');
    expect(missing.all).toContain('kindest/node:v1.34.<patch>@sha256:<digest>');
    const held = await labs(w, ['verify', 'kind-basic', '--k8s', '1.35', '--records', 'out']);
    expect(held.exitCode).toBe(2);
    expect(held.all).toContain('kind-basic cannot run on Kubernetes 1.35: no node image pinned for Kubernetes 1.35');
    expect(created(w)).toEqual([]);
    expect(existsSync(join(w.dir, 'out'))).toBe(false);
  });

  it('records nothing when the cluster runs another release than the one asked for, and deletes the cluster', async () => {
    const w = await matrixWorld();
    const r = await labs(w, ['verify', 'kind-basic', '--k8s', '1.36', '--records', 'out'], { STANDIN_SERVER_VERSION: 'v1.37.0' });
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain(`the cluster made from ${V136} reports Kubernetes v1.37.0, not 1.36`);
    expect(existsSync(join(w.dir, 'out/kind-basic@1.36.json'))).toBe(false);
    expect(w.calls().filter((c) => startsWith(c, 'kind', 'delete', 'cluster'))).toHaveLength(1);
    expect(existsSync(join(w.state, 'clusters/kind'))).toBe(false);
  });

  it('refuses --update on a matrix release, a local lab, a malformed release and a second way of choosing the image', async () => {
    const w = await matrixWorld();
    const update = await labs(w, ['verify', 'kind-basic', '--k8s', '1.36', '--update', '--records', 'out']);
    expect(update.exitCode).toBe(2);
    expect(update.all).toContain("--update with --k8s 1.36: kind-basic's pages show its pinned Kubernetes");
    const local = await labs(w, ['verify', 'local-lab', '--k8s', '1.36', '--records', 'out']);
    expect(local.exitCode).toBe(2);
    expect(local.all).toContain('--k8s 1.36 picks a kind node image, and local-lab is a local lab');
    const bad = await labs(w, ['verify', 'kind-basic', '--k8s', 'v1.36.4']);
    expect(bad.exitCode).toBe(2);
    expect(bad.all).toContain('expected a Kubernetes minor release, e.g. 1.36');
    const both = await labs(w, ['verify', 'kind-basic', '--k8s', '1.36', '--records', 'out'], { LABS_KIND_NODE_IMAGE: PINNED });
    expect(both.exitCode).toBe(2);
    expect(both.all).toContain('both choose the node image');
    expect(created(w)).toEqual([]);
  });
});
