import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { classifyRecordChange, showsLab, watchRecords, type DevServerLike } from '../../src/site/dev-records.ts';

const ROOT = '/repo';
const EXTRA = '/repo/test/fixtures/site/project';
const roots = [ROOT, EXTRA];

describe('classifyRecordChange', () => {
  it('reads records, live files and the drift history of every root', () => {
    expect(classifyRecordChange('/repo/verification/pods.json', roots)).toEqual({ root: ROOT, lab: 'pods' });
    expect(classifyRecordChange('/repo/verification/.live/pods.json', roots)).toEqual({ root: ROOT, lab: 'pods' });
    expect(classifyRecordChange(`${EXTRA}/verification/netns-basics.json`, roots)).toEqual({ root: EXTRA, lab: 'netns-basics' });
    expect(classifyRecordChange('/repo/verification/history.jsonl', roots)).toEqual({ root: ROOT });
  });

  it('ignores the temporary files of an atomic write, other folders and other files', () => {
    expect(classifyRecordChange('/repo/verification/pods.json.123.456.tmp', roots)).toBeUndefined();
    expect(classifyRecordChange('/repo/verification/.live/pods.json.1.2.tmp', roots)).toBeUndefined();
    expect(classifyRecordChange('/repo/content/labs/pods/01-a.mdx', roots)).toBeUndefined();
    expect(classifyRecordChange('/repo/verification/sub/pods.json', roots)).toBeUndefined();
    expect(classifyRecordChange('/repo/verification', roots)).toBeUndefined();
    expect(classifyRecordChange('/elsewhere/verification/pods.json', roots)).toBeUndefined();
  });
});

describe('showsLab', () => {
  it('matches the steps of the lab and the deck of a slides record, nothing else', () => {
    const pods = { root: ROOT, lab: 'pods' };
    expect(showsLab('/repo/content/labs/pods/01-a.mdx', pods)).toBe(true);
    expect(showsLab('/repo/content/labs/pods-advanced/01-a.mdx', pods)).toBe(false);
    expect(showsLab('/repo/content/labs/pods/lab.yaml', pods)).toBe(false);
    expect(showsLab(`${EXTRA}/content/labs/pods/01-a.mdx`, pods)).toBe(false);
    const deck = { root: ROOT, lab: 'slides-k8s' };
    expect(showsLab('/repo/slides/k8s.mdx', deck)).toBe(true);
    expect(showsLab('/repo/slides/k8s-2.mdx', deck)).toBe(false);
    expect(showsLab('/repo/content/labs/pods/01-a.mdx', { root: ROOT })).toBe(false);
  });
});

/** A stand-in for Vite's dev server: a watcher whose events the test fires, module graphs that record invalidations. */
function fakeServer(files: string[]) {
  const listeners: Record<string, ((file: string) => void)[]> = {};
  const invalidated: string[] = [];
  const reloads: unknown[] = [];
  const graph = (env: string) => {
    const fileToModulesMap = new Map(files.map((f) => [f, new Set([{ file: f }])]));
    return {
      fileToModulesMap,
      invalidateModule: (m: object) => void invalidated.push(`${env}:${(m as { file: string }).file}`),
    };
  };
  const watched: string[] = [];
  const server: DevServerLike = {
    watcher: {
      add: (p) => void watched.push(...(Array.isArray(p) ? p : [p])),
      on: (event, l) => void (listeners[event] ??= []).push(l),
    },
    environments: {
      client: { moduleGraph: graph('client'), hot: { send: (p) => void reloads.push(p) } },
      ssr: { moduleGraph: graph('ssr'), runner: { evaluatedModules: graph('ssr-runner') }, hot: { send: () => {} } },
    },
  };
  const fire = (event: string, file: string) => listeners[event]?.forEach((l) => l(file));
  return { server, fire, invalidated, reloads, watched };
}

describe('watchRecords', () => {
  const step1 = '/repo/content/labs/pods/01-a.mdx';
  const step2 = '/repo/content/labs/pods/02-b.mdx';
  const other = '/repo/content/labs/dns/01-a.mdx';

  it('drops the lab’s compiled pages from the server environments and reloads the browser once per batch', async () => {
    const { server, fire, invalidated, reloads, watched } = fakeServer([step1, step2, other]);
    const reloaded: string[][] = [];
    let done!: () => void;
    const flushed = new Promise<void>((r) => (done = r));
    watchRecords(server, { roots: [ROOT], delayMs: 1, onReload: (labs) => (reloaded.push(labs), done()) });
    expect(watched).toEqual([path.join(ROOT, 'verification')]);
    fire('change', '/repo/verification/.live/pods.json');
    fire('add', '/repo/verification/pods.json.1.2.tmp');
    fire('change', '/repo/verification/pods.json');
    await flushed;
    expect(invalidated.sort()).toEqual([`ssr-runner:${step1}`, `ssr-runner:${step2}`, `ssr:${step1}`, `ssr:${step2}`]);
    expect(reloads).toEqual([{ type: 'full-reload', path: '*' }]);
    expect(reloaded).toEqual([['pods']]);
  });

  it('reloads without dropping pages for the drift history, and does nothing for other files or after stop', async () => {
    const { server, fire, invalidated, reloads } = fakeServer([step1]);
    let done!: () => void;
    const flushed = new Promise<void>((r) => (done = r));
    const stop = watchRecords(server, { roots: [ROOT], delayMs: 1, onReload: () => done() });
    fire('change', '/repo/content/labs/pods/01-a.mdx');
    fire('change', '/repo/verification/history.jsonl');
    await flushed;
    expect(invalidated).toEqual([]);
    expect(reloads).toHaveLength(1);
    stop();
    vi.useFakeTimers();
    try {
      fire('change', '/repo/verification/pods.json');
      vi.runAllTimers();
      expect(reloads).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('acts on a batch once, however many writes a run makes in it', () => {
    vi.useFakeTimers();
    try {
      const { server, fire, reloads } = fakeServer([step1]);
      watchRecords(server, { roots: [ROOT], delayMs: 100 });
      for (let i = 0; i < 10; i++) fire('change', '/repo/verification/.live/pods.json');
      expect(reloads).toHaveLength(0);
      vi.runAllTimers();
      expect(reloads).toHaveLength(1);
      fire('change', '/repo/verification/pods.json');
      vi.runAllTimers();
      expect(reloads).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('recordsStamp', () => {
  it('changes when a record or a live file is written or removed, not for other files', async () => {
    const { mkdtemp, mkdir, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { recordsStamp } = await import('../../src/site/dev-records.ts');
    const root = await mkdtemp(path.join(tmpdir(), 'labs-stamp-'));
    try {
      const empty = await recordsStamp([root]);
      await mkdir(path.join(root, 'verification/.live'), { recursive: true });
      await writeFile(path.join(root, 'verification/notes.txt'), 'x');
      expect(await recordsStamp([root])).toBe(empty);
      await writeFile(path.join(root, 'verification/pods.json'), '{}');
      const one = await recordsStamp([root]);
      expect(one).not.toBe(empty);
      await writeFile(path.join(root, 'verification/.live/pods.json'), '{"a":1}');
      const running = await recordsStamp([root]);
      expect(running).not.toBe(one);
      await rm(path.join(root, 'verification/.live/pods.json'));
      expect(await recordsStamp([root])).toBe(one);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
