import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expandUrl, fillSums, formatManifest, main, parseChecksumFile, planInstall, resolveLatest, sha256Of, type FetchLike } from '../../scripts/install-tools.ts';
import { isRealChecksum, loadToolManifest, UNPINNED_HINT, versionMatches, type ToolManifest } from '../../src/run/tools.ts';
import { findLabs, loadLab } from '../../src/parse/load-lab.ts';
import { ROOT } from './helpers.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function scratch(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'install-tools-test-'));
  dirs.push(d);
  return d;
}

/** A fetch that serves bytes from a map of URL → content and records what was asked. */
function fakeFetch(files: Record<string, Uint8Array | string>): FetchLike & { asked: string[] } {
  const asked: string[] = [];
  const fn = async (url: string) => {
    asked.push(url);
    const body = files[url];
    if (body === undefined) return new Response('not found', { status: 404 });
    return new Response(typeof body === 'string' ? body : Buffer.from(body));
  };
  return Object.assign(fn, { asked });
}

describe('tools.json', () => {
  const manifest = loadToolManifest();

  it('pins kind, kubectl, helm, cilium-cli and linkerd for linux-amd64, each with a real sum or none, and a published checksum to check it against', () => {
    expect(manifest.platform).toBe('linux-amd64');
    expect(Object.keys(manifest.tools).sort()).toEqual(['cilium-cli', 'helm', 'kind', 'kubectl', 'linkerd']);
    for (const [tool, pin] of Object.entries(manifest.tools)) {
      expect(pin.sha256 === undefined || isRealChecksum(pin.sha256), tool).toBe(true);
      expect(Boolean(pin.checksumUrl) !== Boolean(pin.checksumRelease), `${tool}: exactly one of checksumUrl and checksumRelease`).toBe(true);
      expect(pin.url, tool).toContain('{version}');
      expect(pin.url, tool).toMatch(/linux-amd64|linux\/amd64/);
    }
    // Unknown sums are left out, never guessed: these two have not been checked yet.
    expect(manifest.tools['cilium-cli']!.sha256).toBeUndefined();
    expect(manifest.tools.linkerd!.sha256).toBeUndefined();
  });

  it('is kept in the format --fill-sums writes, so its pull requests change only the sums', () => {
    expect(readFileSync(join(ROOT, 'tools.json'), 'utf8')).toBe(formatManifest(manifest));
  });

  it('rejects a sum that is present but not 64 hex digits, naming the file and the tool', async () => {
    const work = await scratch();
    const file = join(work, 'tools.json');
    await writeFile(file, JSON.stringify({ platform: 'linux-amd64', tools: { kind: { version: 'v1', binary: 'kind', url: 'https://x/{version}', sha256: 'TODO' } } }));
    expect(() => loadToolManifest(file)).toThrow(`${file}: tools.kind.sha256 must be 64 lowercase hex digits`);
  });

  it('plans the exact download URLs of the pinned versions', () => {
    const { steps, problems } = planInstall(manifest, ['kind', 'kubectl', 'helm'], '/opt/bin');
    expect(problems).toEqual([]);
    expect(steps.map((s) => [s.tool, s.url, s.dest, s.archiveMember])).toEqual([
      ['kind', 'https://github.com/kubernetes-sigs/kind/releases/download/v0.33.0/kind-linux-amd64', '/opt/bin/kind', undefined],
      ['kubectl', 'https://dl.k8s.io/release/v1.37.1/bin/linux/amd64/kubectl', '/opt/bin/kubectl', undefined],
      ['helm', 'https://get.helm.sh/helm-v4.3.0-linux-amd64.tar.gz', '/opt/bin/helm', 'linux-amd64/helm'],
    ]);
  });

  it('sets apart tools without a pinned sum, and names unknown tools with a suggestion', () => {
    const { steps, problems, unpinned } = planInstall(manifest, ['linkerd', 'kubctl'], '/opt/bin');
    expect(steps).toEqual([]);
    expect(unpinned).toEqual(['linkerd']);
    expect(problems).toEqual([expect.stringContaining('did you mean kubectl?')]);
  });

  it('agrees with every lab that pins a tool in lab.yaml', async () => {
    for (const dir of await findLabs(join(ROOT, 'content/labs'))) {
      const { lab } = await loadLab(dir, { cwd: ROOT });
      for (const [tool, pin] of Object.entries(lab?.config.tools ?? {})) {
        const pinned = manifest.tools[tool];
        expect(pinned, `${dir}: ${tool} is not in tools.json`).toBeDefined();
        expect(versionMatches(pin, pinned!.version), `${dir}: lab pins ${tool} ${pin}, tools.json ${pinned!.version}`).toBe(true);
      }
    }
  });
});

describe('version pins', () => {
  it('matches a pin by its leading parts, never a pre-release or another patch', () => {
    expect(versionMatches('v1.37.1', 'v1.37.1')).toBe(true);
    expect(versionMatches('v1.37', 'v1.37.4')).toBe(true);
    expect(versionMatches('1.37.1', 'v1.37.1')).toBe(true);
    expect(versionMatches('v1.37.1', 'v1.37.10')).toBe(false);
    expect(versionMatches('v1.37.0', 'v1.37.0-rc.1')).toBe(false);
    expect(versionMatches('v0.33.0', 'v0.31.0')).toBe(false);
    expect(versionMatches('edge-26.9.3', 'edge-26.9.3')).toBe(true);
    expect(versionMatches('edge-26.9.3', 'edge-26.9.4')).toBe(false);
  });
});

describe('scripts/install-tools.ts with a fake fetch', () => {
  it('installs a bare binary and a binary from a .tar.gz after checking their sums', async () => {
    const work = await scratch();
    const kindBytes = Buffer.from('#!/bin/sh\necho kind v9.9.9\n');
    await mkdir(join(work, 'pkg/linux-amd64'), { recursive: true });
    await writeFile(join(work, 'pkg/linux-amd64/helm'), '#!/bin/sh\necho helm\n');
    execFileSync('tar', ['-czf', join(work, 'helm.tar.gz'), '-C', join(work, 'pkg'), 'linux-amd64/helm']);
    const helmBytes = readFileSync(join(work, 'helm.tar.gz'));
    const manifest: ToolManifest = {
      platform: 'linux-amd64',
      tools: {
        kind: { version: 'v9.9.9', binary: 'kind', url: 'https://example.test/{version}/kind-linux-amd64', sha256: sha256Of(kindBytes) },
        helm: { version: 'v9.9.9', binary: 'helm', url: 'https://example.test/helm-{version}.tar.gz', archiveMember: 'linux-amd64/helm', sha256: sha256Of(helmBytes) },
      },
    };
    const fetch = fakeFetch({ 'https://example.test/v9.9.9/kind-linux-amd64': kindBytes, 'https://example.test/helm-v9.9.9.tar.gz': helmBytes });
    const out: string[] = [];
    const status = await main(['--dir', join(work, 'bin')], { fetch, manifest, log: (s) => out.push(s) });
    expect(out.join('\n')).not.toMatch(/mismatch/);
    expect(status).toBe(0);
    expect(fetch.asked).toEqual(['https://example.test/v9.9.9/kind-linux-amd64', 'https://example.test/helm-v9.9.9.tar.gz']);
    expect(execFileSync(join(work, 'bin/kind'), { encoding: 'utf8' })).toBe('kind v9.9.9\n');
    expect(execFileSync(join(work, 'bin/helm'), { encoding: 'utf8' })).toBe('helm\n');
    expect(statSync(join(work, 'bin/kind')).mode & 0o777).toBe(0o755);
  });

  it('installs nothing when a download does not match its pinned sum', async () => {
    const work = await scratch();
    const manifest: ToolManifest = {
      platform: 'linux-amd64',
      tools: { kind: { version: 'v9.9.9', binary: 'kind', url: 'https://example.test/kind', sha256: sha256Of(Buffer.from('the real one')) } },
    };
    const out: string[] = [];
    const status = await main(['--dir', join(work, 'bin')], { fetch: fakeFetch({ 'https://example.test/kind': 'a tampered one' }), manifest, log: (s) => out.push(s) });
    expect(status).toBe(1);
    expect(out.join('\n')).toContain('sha256 mismatch for kind v9.9.9');
    expect(existsSync(join(work, 'bin/kind'))).toBe(false);
  });

  it('exits 2 and downloads nothing when asked for a tool without a pinned sum, saying what to do', async () => {
    const work = await scratch();
    const fetch = fakeFetch({});
    const out: string[] = [];
    const status = await main(['--dir', join(work, 'bin'), 'kind', 'linkerd'], { fetch, log: (s) => out.push(s), manifest: loadToolManifest() });
    expect(status).toBe(2);
    expect(fetch.asked).toEqual([]);
    expect(out).toEqual([
      'install-tools: refusing linkerd edge-26.9.3: tools.json has no pinned sha256, so it is not installed (a download is only trusted against a pinned sum); run the `tools` workflow (Actions → tools → Run workflow): it checks the release against the checksum its project publishes and opens a pull request that pins the sum in tools.json',
      'install-tools: nothing installed; pass --pinned-only to install the pinned tools and leave out linkerd',
    ]);
    expect(existsSync(join(work, 'bin'))).toBe(false);
  });

  it('--pinned-only installs the pinned tools, names each unpinned one and annotates it on GitHub Actions', async () => {
    const work = await scratch();
    const kindBytes = Buffer.from('#!/bin/sh\necho kind\n');
    const manifest: ToolManifest = {
      platform: 'linux-amd64',
      tools: {
        kind: { version: 'v9.9.9', binary: 'kind', url: 'https://example.test/kind', sha256: sha256Of(kindBytes) },
        linkerd: { version: 'edge-1.2.3', binary: 'linkerd', url: 'https://example.test/linkerd', checksumRelease: 'linkerd/linkerd2' },
      },
    };
    const fetch = fakeFetch({ 'https://example.test/kind': kindBytes });
    const out: string[] = [];
    const notes: string[] = [];
    const status = await main(['--dir', join(work, 'bin'), '--pinned-only', 'kind', 'linkerd'], { fetch, manifest, log: (s) => out.push(s), annotate: (s) => notes.push(s), env: { GITHUB_ACTIONS: 'true' } });
    expect(status).toBe(0);
    expect(fetch.asked).toEqual(['https://example.test/kind']);
    expect(existsSync(join(work, 'bin/kind'))).toBe(true);
    expect(existsSync(join(work, 'bin/linkerd'))).toBe(false);
    expect(out[0]).toBe(`install-tools: linkerd edge-1.2.3: tools.json has no pinned sha256, so it is not installed (a download is only trusted against a pinned sum); ${UNPINNED_HINT}`);
    expect(notes).toEqual([expect.stringMatching(/^::warning title=unpinned tool::linkerd edge-1\.2\.3 has no pinned sha256 in tools\.json and is not installed; labs that need it do not run\./)]);
  });

  it('--latest takes the newest release and the sum from that release’s own checksum file', async () => {
    const manifest = loadToolManifest();
    const sum = 'b'.repeat(64);
    const fetch = fakeFetch({
      'https://api.github.com/repos/kubernetes-sigs/kind/releases/latest': JSON.stringify({ tag_name: 'v0.34.0' }),
      'https://github.com/kubernetes-sigs/kind/releases/download/v0.34.0/kind-linux-amd64.sha256sum': `${sum}  kind-linux-amd64\n`,
      'https://dl.k8s.io/release/stable.txt': 'v1.38.0\n',
      'https://dl.k8s.io/release/v1.38.0/bin/linux/amd64/kubectl.sha256': 'c'.repeat(64),
      'https://api.github.com/repos/linkerd/linkerd2/releases?per_page=50': JSON.stringify([{ tag_name: 'version-2.21' }, { tag_name: 'edge-26.10.1' }]),
      'https://api.github.com/repos/linkerd/linkerd2/releases/tags/edge-26.10.1': JSON.stringify({ assets: [{ name: 'linkerd2-cli-edge-26.10.1-linux-amd64', digest: `sha256:${'d'.repeat(64)}` }] }),
    });
    const latest = await resolveLatest(manifest, ['kind', 'kubectl', 'linkerd'], fetch);
    expect(latest.tools.kind).toMatchObject({ version: 'v0.34.0', sha256: sum });
    expect(latest.tools.kubectl).toMatchObject({ version: 'v1.38.0', sha256: 'c'.repeat(64) });
    expect(latest.tools.linkerd).toMatchObject({ version: 'edge-26.10.1', sha256: 'd'.repeat(64) });
    const { steps, unpinned } = planInstall(latest, ['kind', 'linkerd'], '/x');
    expect(steps.map((s) => s.url)).toEqual([
      'https://github.com/kubernetes-sigs/kind/releases/download/v0.34.0/kind-linux-amd64',
      'https://github.com/linkerd/linkerd2/releases/download/edge-26.10.1/linkerd2-cli-edge-26.10.1-linux-amd64',
    ]);
    expect(unpinned).toEqual([]);
  });

  it('--latest leaves a tool without a sum when its release publishes none', async () => {
    const manifest: ToolManifest = { platform: 'linux-amd64', tools: { x: { version: 'v1', binary: 'x', url: 'https://example.test/{version}/x', latest: { url: 'https://example.test/stable.txt' } } } };
    const latest = await resolveLatest(manifest, [], fakeFetch({ 'https://example.test/stable.txt': 'v2\n' }));
    expect(latest.tools.x!.version).toBe('v2');
    expect(latest.tools.x!.sha256).toBeUndefined();
    expect(planInstall(latest, ['x'], '/bin').unpinned).toEqual(['x']);
  });

  it('reads sums from checksum files in both usual shapes', () => {
    const sum = 'a1'.repeat(32);
    expect(parseChecksumFile(`${sum}  kind-linux-amd64\n`)).toBe(sum);
    expect(parseChecksumFile(sum)).toBe(sum);
    expect(parseChecksumFile('404: Not Found')).toBeUndefined();
    expect(expandUrl('https://x/{version}/y-{version}', 'v1')).toBe('https://x/v1/y-v1');
  });
});

describe('--fill-sums, the tools workflow\'s check', () => {
  const asset = Buffer.from('#!/bin/sh\necho cilium-cli: v0.19.7\n');
  const sum = sha256Of(asset);
  const base = (extra: Partial<ToolManifest['tools'][string]> = {}): ToolManifest => ({
    platform: 'linux-amd64',
    tools: { 'cilium-cli': { version: 'v0.19.7', binary: 'cilium', url: 'https://example.test/{version}/cilium', checksumUrl: 'https://example.test/{version}/cilium.sha256sum', ...extra } },
  });
  const files = (published: string) => ({ 'https://example.test/v0.19.7/cilium': asset, 'https://example.test/v0.19.7/cilium.sha256sum': `${published}  cilium\n` });

  it('refuses to run outside the tools workflow, which sets LABS_TOOLS_FILL_SUMS=1', async () => {
    const out: string[] = [];
    const fetch = fakeFetch(files(sum));
    expect(await main(['--fill-sums'], { fetch, manifest: base(), log: (s) => out.push(s), env: {} })).toBe(2);
    expect(fetch.asked).toEqual([]);
    expect(out.join('\n')).toContain('runs only in the tools workflow, which sets LABS_TOOLS_FILL_SUMS=1');
  });

  it('fills in a missing sum only when the download matches the published checksum, and writes tools.json', async () => {
    const work = await scratch();
    const file = join(work, 'tools.json');
    await writeFile(file, formatManifest(base()));
    const report = join(work, 'sums.md');
    const status = await main(['--fill-sums', '--report', report, '--dir', join(work, 'bin')], { fetch: fakeFetch(files(sum)), log: () => {}, env: { LABS_TOOLS_FILL_SUMS: '1' }, cwd: work });
    expect(status).toBe(0);
    const written = loadToolManifest(file);
    expect(written.tools['cilium-cli']!.sha256).toBe(sum);
    expect(written.tools['cilium-cli']!.source).toMatch(/^https:\/\/example\.test\/v0\.19\.7\/cilium\.sha256sum, checked against the download by the tools workflow on \d{4}-\d\d-\d\d$/);
    expect(Object.keys(written.tools['cilium-cli']!)).toEqual(['version', 'binary', 'url', 'sha256', 'checksumUrl', 'source']);
    expect(readFileSync(report, 'utf8')).toContain(`| cilium-cli | v0.19.7 | sum filled in | ${sum}, as published at https://example.test/v0.19.7/cilium.sha256sum |`);
    expect(existsSync(join(work, 'bin/cilium'))).toBe(true);
  });

  it('fails, writing nothing, when the download does not match what the project publishes', async () => {
    const work = await scratch();
    const file = join(work, 'tools.json');
    await writeFile(file, formatManifest(base()));
    const out: string[] = [];
    const status = await main(['--fill-sums'], { fetch: fakeFetch(files('e'.repeat(64))), log: (s) => out.push(s), annotate: () => {}, env: { LABS_TOOLS_FILL_SUMS: '1' }, cwd: work });
    expect(status).toBe(1);
    expect(out.join('\n')).toContain(`the download https://example.test/v0.19.7/cilium has sha256 ${sum}, but https://example.test/v0.19.7/cilium.sha256sum publishes ${'e'.repeat(64)}`);
    expect(loadToolManifest(file).tools['cilium-cli']!.sha256).toBeUndefined();
  });

  it('checks a sum already pinned against the published one', async () => {
    const agreeing = await fillSums(base({ sha256: sum }), [], fakeFetch(files(sum)));
    expect(agreeing.checks.map((c) => c.outcome)).toEqual(['pinned']);
    const wrongPin = await fillSums(base({ sha256: 'f'.repeat(64) }), [], fakeFetch(files(sum)));
    expect(wrongPin.checks[0]).toMatchObject({ outcome: 'failed', detail: `tools.json pins ${'f'.repeat(64)}, but the download and https://example.test/v0.19.7/cilium.sha256sum both have ${sum}` });
    expect(wrongPin.manifest.tools['cilium-cli']!.sha256).toBe('f'.repeat(64));
  });

  it('takes the digest GitHub records for a release asset when the project publishes no checksum file', async () => {
    const manifest: ToolManifest = {
      platform: 'linux-amd64',
      tools: { linkerd: { version: 'edge-26.9.3', binary: 'linkerd', url: 'https://github.com/linkerd/linkerd2/releases/download/{version}/linkerd2-cli-{version}-linux-amd64', checksumRelease: 'linkerd/linkerd2' } },
    };
    const release = (digest: string) =>
      fakeFetch({
        'https://api.github.com/repos/linkerd/linkerd2/releases/tags/edge-26.9.3': JSON.stringify({ assets: [{ name: 'linkerd2-cli-edge-26.9.3-linux-amd64.sha256', digest: null }, { name: 'linkerd2-cli-edge-26.9.3-linux-amd64', digest }] }),
        'https://github.com/linkerd/linkerd2/releases/download/edge-26.9.3/linkerd2-cli-edge-26.9.3-linux-amd64': asset,
      });
    const ok = await fillSums(manifest, [], release(`sha256:${sum}`));
    expect(ok.checks[0]!.outcome).toBe('filled');
    expect(ok.manifest.tools.linkerd!.sha256).toBe(sum);
    const missing = await fillSums(manifest, [], release(''));
    expect(missing.checks[0]).toMatchObject({ outcome: 'failed', detail: 'GitHub records no sha256 digest for linkerd2-cli-edge-26.9.3-linux-amd64 in release edge-26.9.3 of linkerd/linkerd2' });
    expect(missing.manifest.tools.linkerd!.sha256).toBeUndefined();
  });

  it('leaves a tool unpinned, and says so, when nothing published can vouch for it', async () => {
    const manifest: ToolManifest = { platform: 'linux-amd64', tools: { x: { version: 'v1', binary: 'x', url: 'https://example.test/x' } } };
    const fetch = fakeFetch({});
    const r = await fillSums(manifest, [], fetch);
    expect(r.checks[0]!.outcome).toBe('unpublished');
    expect(fetch.asked).toEqual([]);
    expect(r.manifest.tools.x!.sha256).toBeUndefined();
  });
});
