import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labs, makeWorld, STANDIN_BIN, startsWith, waitFor, type Call } from './helpers.ts';

const NODE_IMAGE = 'kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5';
const USER_KUBECONFIG = 'apiVersion: v1\nkind: Config\ncurrent-context: prod\ncontexts:\n- context: {cluster: prod, user: admin}\n  name: prod\n';

const kindCalls = (calls: Call[]) => calls.filter((c) => c.tool === 'kind' && c.argv[0] !== 'version' && c.argv[1] !== 'clusters');
const createCall = (calls: Call[]) => calls.find((c) => startsWith(c, 'kind', 'create', 'cluster'));

describe('--target kind against recording stand-ins of docker, kind and kubectl', () => {
  it('creates the cluster from the lab config, loads its images, runs with a private kubeconfig and deletes the cluster', async () => {
    const w = await makeWorld('kind-basic');
    await mkdir(join(w.home, '.kube'));
    writeFileSync(join(w.home, '.kube/config'), USER_KUBECONFIG);
    const r = await labs(w, ['verify', 'kind-basic', '--report', 'json=report.json']);
    expect(r.all).toContain('7 passed');
    expect(r.exitCode).toBe(0);

    const calls = w.calls();
    const create = createCall(calls)!;
    const kubeconfig = create.argv[create.argv.indexOf('--kubeconfig') + 1]!;
    expect(create.argv).toEqual(['create', 'cluster', '--name', 'kind', '--config', join(w.dir, 'kind-basic/kind.yaml'), '--image', NODE_IMAGE, '--kubeconfig', kubeconfig, '--wait', '0s']);
    expect(kubeconfig.startsWith(w.home)).toBe(false);

    // Images: pull, save for the node's platform, load the archive — per image, in order, after create.
    const afterCreate = calls.slice(calls.indexOf(create) + 1);
    const imageSteps = afterCreate.filter((c) => startsWith(c, 'docker', 'pull') || startsWith(c, 'docker', 'image', 'save') || startsWith(c, 'kind', 'load'));
    const archives = imageSteps.filter((c) => c.argv[1] === 'save').map((c) => c.argv[c.argv.indexOf('-o') + 1]);
    expect(imageSteps.map((c) => [c.tool, ...c.argv])).toEqual([
      ['docker', 'pull', 'httpd:2.4.65'],
      ['docker', 'image', 'save', '--platform', 'linux/amd64', '-o', archives[0], 'httpd:2.4.65'],
      ['kind', 'load', 'image-archive', archives[0], '--name', 'kind'],
      ['docker', 'pull', 'busybox:1.37.0'],
      ['docker', 'image', 'save', '--platform', 'linux/amd64', '-o', archives[1], 'busybox:1.37.0'],
      ['kind', 'load', 'image-archive', archives[1], '--name', 'kind'],
    ]);

    // Every kubectl call that talks to a cluster saw the private kubeconfig; kind always got --kubeconfig.
    const clusterKubectl = calls.filter((c) => c.tool === 'kubectl' && !(c.argv[0] === 'version' && c.argv.includes('--client')));
    expect(clusterKubectl.length).toBeGreaterThan(3);
    for (const c of clusterKubectl) expect(c.kubeconfig).toBe(kubeconfig);
    expect(calls.filter((c) => startsWith(c, 'kubectl', 'run')).map((c) => c.kubeconfig)).toEqual([kubeconfig]);
    for (const c of kindCalls(calls).filter((c) => c.argv[0] === 'create' || c.argv[0] === 'delete')) expect(c.argv).toContain('--kubeconfig');

    // Teardown ran, then the cluster was deleted, last; nothing is left behind.
    const last = kindCalls(calls).at(-1)!;
    expect(last.argv).toEqual(['delete', 'cluster', '--name', 'kind', '--kubeconfig', kubeconfig]);
    const teardown = calls.findIndex((c) => startsWith(c, 'kubectl', 'delete', 'pod', 'client'));
    expect(teardown).toBeGreaterThan(-1);
    expect(teardown).toBeLessThan(calls.indexOf(last));
    expect(existsSync(kubeconfig)).toBe(false);
    expect(existsSync(join(w.state, 'clusters/kind'))).toBe(false);
    expect(existsSync(join(w.home, '.local/state/labs/kind/kind.json'))).toBe(false);
    expect(readFileSync(join(w.home, '.kube/config'), 'utf8')).toBe(USER_KUBECONFIG);

    const report = JSON.parse(await readFile(join(w.dir, 'report.json'), 'utf8'));
    expect(report.summary).toMatchObject({ passed: 7, failed: 0, errors: 0 });
    const record = JSON.parse(await readFile(join(w.dir, 'verification/kind-basic.json'), 'utf8'));
    expect(record.environment).toMatchObject({ target: 'kind', versions: { kind: 'v0.33.0', kubectl: 'v1.37.1', kubernetes: 'v1.37.0', cluster: 'kind', nodeImage: NODE_IMAGE } });
  });

  it('never writes ~/.kube/config, even when the user has none', async () => {
    const w = await makeWorld('kind-basic');
    const r = await labs(w, ['verify', 'kind-basic', '--no-record']);
    expect(r.exitCode).toBe(0);
    expect(existsSync(join(w.home, '.kube'))).toBe(false);
  });

  it('waits for the control plane when the config keeps the default CNI, and deletes the cluster after a drifting block', async () => {
    const w = await makeWorld('kind-drift');
    const r = await labs(w, ['verify', 'kind-drift', '--no-record']);
    expect(r.exitCode).toBe(1);
    expect(r.all).toMatch(/kind-other/);
    const calls = w.calls();
    const create = createCall(calls)!;
    expect(create.argv.slice(-2)).toEqual(['--wait', '5m']);
    expect(create.argv).not.toContain('--image');
    expect(kindCalls(calls).at(-1)!.argv.slice(0, 4)).toEqual(['delete', 'cluster', '--name', 'kind']);
    expect(existsSync(join(w.state, 'clusters/kind'))).toBe(false);
  });

  it('on SIGINT during a block runs teardown, deletes the cluster and exits 130', async () => {
    const w = await makeWorld('kind-slow');
    const child = labs(w, ['verify', 'kind-slow', '--no-record'], { STANDIN_KUBECTL_SLEEP: '30' });
    await waitFor(() => w.calls().some((c) => startsWith(c, 'kubectl', 'get', 'nodes')));
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(existsSync(join(w.state, 'teardown-ran'))).toBe(true);
    expect(kindCalls(w.calls()).at(-1)!.argv.slice(0, 4)).toEqual(['delete', 'cluster', '--name', 'kind']);
    expect(existsSync(join(w.state, 'clusters/kind'))).toBe(false);
  });

  it('on SIGINT during `kind create cluster` still deletes the cluster', async () => {
    const w = await makeWorld('kind-basic');
    const child = labs(w, ['verify', 'kind-basic', '--no-record'], { STANDIN_CREATE_SLEEP: '30' });
    await waitFor(() => existsSync(join(w.state, 'clusters/kind')));
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    const calls = w.calls();
    expect(calls.some((c) => startsWith(c, 'docker', 'pull'))).toBe(false);
    expect(kindCalls(calls).at(-1)!.argv.slice(0, 4)).toEqual(['delete', 'cluster', '--name', 'kind']);
    expect(existsSync(join(w.state, 'clusters/kind'))).toBe(false);
    expect(existsSync(join(w.home, '.local/state/labs/kind/kind.json'))).toBe(false);
  });

  it('deletes the cluster when an image cannot be pulled', async () => {
    const w = await makeWorld('kind-basic');
    const r = await labs(w, ['verify', 'kind-basic', '--no-record'], { STANDIN_PULL_FAIL: 'busybox:1.37.0' });
    expect(r.exitCode).toBe(1);
    expect(r.all).toMatch(/manifest unknown/);
    expect(existsSync(join(w.state, 'clusters/kind'))).toBe(false);
  });

  it('keeps the cluster with --keep, reuses it with --reuse, and deletes it after the reuse run', async () => {
    const w = await makeWorld('kind-basic');
    const first = await labs(w, ['verify', 'kind-basic', '--no-record', '--keep']);
    expect(first.exitCode).toBe(0);
    expect(first.all).toContain('kind delete cluster --name kind');
    expect(existsSync(join(w.state, 'clusters/kind'))).toBe(true);
    expect(kindCalls(w.calls()).some((c) => c.argv[0] === 'delete')).toBe(false);

    const before = w.calls().length;
    const second = await labs(w, ['verify', 'kind-basic', '--no-record', '--reuse']);
    expect(second.exitCode).toBe(0);
    const calls = w.calls().slice(before);
    expect(createCall(calls)).toBeUndefined();
    const got = calls.find((c) => startsWith(c, 'kind', 'get', 'kubeconfig'))!;
    expect(got.argv).toEqual(['get', 'kubeconfig', '--name', 'kind']);
    expect(calls.filter((c) => startsWith(c, 'kind', 'load')).length).toBe(2);
    expect(kindCalls(calls).at(-1)!.argv.slice(0, 4)).toEqual(['delete', 'cluster', '--name', 'kind']);
    expect(existsSync(join(w.state, 'clusters/kind'))).toBe(false);
  });

  it('refuses (exit 2) a cluster of that name that it did not create, and touches nothing', async () => {
    const w = await makeWorld('kind-basic');
    await mkdir(join(w.state, 'clusters'), { recursive: true });
    writeFileSync(join(w.state, 'clusters/kind'), 'users-own-cluster\n');
    for (const args of [['verify', 'kind-basic'], ['verify', 'kind-basic', '--reuse']]) {
      const r = await labs(w, args);
      expect(r.exitCode).toBe(2);
      expect(r.all).toContain('labs did not create it');
      expect(r.all).toMatch(/kind-basic\/lab\.yaml:3:1 /);
    }
    expect(kindCalls(w.calls())).toEqual([]);
    expect(readFileSync(join(w.state, 'clusters/kind'), 'utf8')).toBe('users-own-cluster\n');
  });

  it('exits 2 when the Docker daemon does not answer, saying so', async () => {
    const w = await makeWorld('kind-basic');
    const r = await labs(w, ['verify', 'kind-basic'], { STANDIN_DOCKER_DOWN: '1' });
    expect(r.exitCode).toBe(2);
    expect(r.all).toContain('Docker does not answer: Cannot connect to the Docker daemon at unix:///var/run/docker.sock');
    expect(r.all).toContain('nothing was run');
    expect(createCall(w.calls())).toBeUndefined();
  });

  it('exits 2 when docker is not on PATH at all, with how to install it', async () => {
    const w = await makeWorld('kind-basic');
    const bin = await mkdtemp(join(tmpdir(), 'labs-nodocker-'));
    for (const t of ['kind', 'kubectl']) await symlink(join(STANDIN_BIN, t), join(bin, t));
    const r = await labs(w, ['verify', 'kind-basic'], { PATH: bin }).finally(() => rm(bin, { recursive: true, force: true }));
    expect(r.exitCode).toBe(2);
    expect(r.all).toContain('docker is not on PATH');
    expect(r.all).toContain('install Docker Engine');
    expect(createCall(w.calls())).toBeUndefined();
  });

  it('exits 2 on a tool version other than the pinned one, naming the pin and how to install it', async () => {
    const w = await makeWorld('kind-basic');
    const r = await labs(w, ['verify', 'kind-basic'], { STANDIN_KIND_VERSION: 'v0.31.0' });
    expect(r.exitCode).toBe(2);
    expect(r.all).toMatch(/kind-basic\/lab\.yaml:7:1 kind is v0\.31\.0 \(.*\), but lab\.yaml pins v0\.33\.0/);
    expect(r.all).toContain('node scripts/install-tools.ts');
    // The nightly "newest releases" leg runs anyway and says what differs.
    const warned = await labs(w, ['verify', 'kind-basic', '--no-record'], { STANDIN_KIND_VERSION: 'v0.34.0', LABS_TOOL_PINS: 'warn' });
    expect(warned.exitCode).toBe(0);
    expect(warned.all).toContain('warning: kind is v0.34.0');
  });

  it('refuses a session that names another cluster’s node before anything runs', async () => {
    const w = await makeWorld('kind-basic');
    const file = join(w.dir, 'kind-basic/lab.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('docker exec -i kind-control-plane bash', 'docker exec -i lab-control-plane bash'));
    const r = await labs(w, ['verify', 'kind-basic']);
    expect(r.exitCode).toBe(2);
    expect(r.all).toMatch(/lab\.yaml:9:\d+ session node runs `docker exec -i lab-control-plane bash`, but the cluster is named kind/);
  });

  it('tells a local lab asked to run on kind to use --target local', async () => {
    const w = await makeWorld('local-lab');
    const named = await labs(w, ['verify', '--target', 'kind', 'local-lab']);
    expect(named.exitCode).toBe(2);
    expect(named.all).toContain('is a local lab');
    expect(named.all).toContain('--target local');
  });

  it('exits 2 on a missing kind config, naming the lab.yaml line', async () => {
    const w = await makeWorld('kind-drift');
    const file = join(w.dir, 'kind-drift/lab.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('config: kind.yaml', 'config: missing.yaml'));
    const r = await labs(w, ['verify', 'kind-drift']);
    expect(r.exitCode).toBe(2);
    expect(r.all).toMatch(/kind-drift\/lab\.yaml:3:\d+ kind config missing\.yaml does not exist/);
  });

  it('refuses to run a kind lab with --target local', async () => {
    const w = await makeWorld('kind-drift');
    const r = await labs(w, ['verify', '--target', 'local', 'kind-drift']);
    expect(r.exitCode).toBe(2);
    expect(r.all).toContain('kind-drift is a kind lab: it needs a cluster');
    expect(w.calls()).toEqual([]);
  });
});
