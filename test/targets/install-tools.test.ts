import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expandUrl, main, parseChecksumFile, planInstall, resolveLatest, sha256Of, type FetchLike } from '../../scripts/install-tools.ts';
import { isRealChecksum, loadToolManifest, versionMatches, type ToolManifest } from '../../src/run/tools.ts';
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

  it('pins kind, kubectl, helm, cilium-cli and linkerd for linux-amd64, each with a real sum or a TODO', () => {
    expect(manifest.platform).toBe('linux-amd64');
    expect(Object.keys(manifest.tools).sort()).toEqual(['cilium-cli', 'helm', 'kind', 'kubectl', 'linkerd']);
    for (const [tool, pin] of Object.entries(manifest.tools)) {
      expect(isRealChecksum(pin.sha256) || pin.sha256.startsWith('TODO'), tool).toBe(true);
      expect(pin.url, tool).toContain('{version}');
      expect(pin.url, tool).toMatch(/linux-amd64|linux\/amd64/);
    }
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

  it('refuses tools whose checksum is a TODO, and unknown tools with a suggestion', () => {
    const { steps, problems } = planInstall(manifest, ['linkerd', 'kubctl'], '/opt/bin');
    expect(steps).toEqual([]);
    expect(problems).toEqual([expect.stringContaining('linkerd edge-26.9.3: tools.json has no verified sha256'), expect.stringContaining('did you mean kubectl?')]);
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

  it('exits 2 and downloads nothing when asked for a tool without a verified sum', async () => {
    const work = await scratch();
    const fetch = fakeFetch({});
    const out: string[] = [];
    const status = await main(['--dir', join(work, 'bin'), 'kind', 'linkerd'], { fetch, log: (s) => out.push(s) });
    expect(status).toBe(2);
    expect(fetch.asked).toEqual([]);
    expect(out.join('\n')).toContain('refusing to install it unverified');
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
    });
    const latest = await resolveLatest(manifest, ['kind', 'kubectl', 'linkerd'], fetch);
    expect(latest.tools.kind).toMatchObject({ version: 'v0.34.0', sha256: sum });
    expect(latest.tools.kubectl).toMatchObject({ version: 'v1.38.0', sha256: 'c'.repeat(64) });
    expect(latest.tools.linkerd!.version).toBe('edge-26.10.1');
    const { steps, problems } = planInstall(latest, ['kind', 'linkerd'], '/x');
    expect(steps.map((s) => s.url)).toEqual(['https://github.com/kubernetes-sigs/kind/releases/download/v0.34.0/kind-linux-amd64']);
    expect(problems).toEqual([expect.stringContaining('linkerd edge-26.10.1: tools.json has no verified sha256')]);
  });

  it('reads sums from checksum files in both usual shapes', () => {
    const sum = 'a1'.repeat(32);
    expect(parseChecksumFile(`${sum}  kind-linux-amd64\n`)).toBe(sum);
    expect(parseChecksumFile(sum)).toBe(sum);
    expect(parseChecksumFile('404: Not Found')).toBeUndefined();
    expect(expandUrl('https://x/{version}/y-{version}', 'v1')).toBe('https://x/v1/y-v1');
  });
});
