import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../src/run/process-group.ts';
import { labs, labsBackground, liveProject, readJson, type LiveProject } from './helpers.ts';

/** Starts `labs verify --watch` and returns a way to wait for its output. */
async function startWatch(p: LiveProject) {
  const child = labsBackground(p, ['verify', '--watch', 'live-lab']);
  let text = '';
  let exited = false;
  child.all!.on('data', (d: Buffer) => (text += d.toString()));
  void child.then(() => (exited = true));
  const waitFor = async (re: RegExp, from = 0): Promise<string> => {
    for (let i = 0; i < 600; i++) {
      const seen = text.slice(from);
      if (re.test(seen)) return seen;
      if (exited) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`watch output never matched ${re}:\n${text}`);
  };
  await waitFor(/watching live-lab/);
  return { child, waitFor, get length() {
    return text.length;
  } };
}

const edit = (p: LiveProject, from: string, to: string) => {
  const f = join(p.lab, '01-state.mdx');
  const before = readFileSync(f, 'utf8');
  if (!before.includes(from)) throw new Error(`${from} not in the step`);
  writeFileSync(f, before.replace(from, to));
};

describe('labs verify --watch', () => {
  it('re-runs a saved block from scratch: pass, then drift after a wrong edit; Ctrl-C leaves nothing', async () => {
    const p = await liveProject();
    const w = await startWatch(p);
    let mark = w.length;
    edit(p, '$((COUNTER + 1))"\ncounter is 42', '$((COUNTER + 2))"\ncounter is 43');
    const pass = await w.waitFor(/1 passed/, mark);
    expect(pass).toContain('running use-var from scratch');
    expect(pass).toMatch(/✓ use-var/);

    mark = w.length;
    edit(p, 'counter is 43', 'counter is 44');
    const drift = await w.waitFor(/1 failed/, mark);
    expect(drift).toMatch(/✗ use-var/);
    expect(drift).toContain('counter is 44');

    mark = w.length;
    writeFileSync(join(p.lab, '01-state.mdx'), readFileSync(join(p.lab, '01-state.mdx'), 'utf8').replace('A variable set here', 'A variable set just here'));
    expect(await w.waitFor(/no block changed/, mark)).toContain('01-state.mdx saved');

    w.child.kill('SIGINT');
    const done = await w.child;
    expect(done.exitCode).toBe(0);
    expect(existsSync(join(p.locks, 'live-lab.lock'))).toBe(false);
    expect(existsSync(join(p.markers, 'state'))).toBe(false);
    expect(existsSync(join(p.dir, 'verification'))).toBe(false);
  });

  it('runs only the changed block in live state when the lab has it, and leaves the live state up', async () => {
    const p = await liveProject();
    expect((await labs(p, ['verify', '--keep', 'live-lab'])).exitCode).toBe(0);
    const { pid } = readJson<{ pid: number }>(join(p.locks, 'live-lab.live', 'state.json'));
    const w = await startWatch(p);
    let mark = w.length;
    edit(p, '$((COUNTER + 1))"\ncounter is 42', '$((COUNTER + 2))"\ncounter is 43');
    const pass = await w.waitFor(/1 passed/, mark);
    expect(pass).toContain('running use-var in the live state');
    expect(pass).not.toContain('set-var');

    mark = w.length;
    edit(p, 'counter is 43', 'counter is 44');
    const drift = await w.waitFor(/1 failed/, mark);
    expect(drift).toMatch(/✗ use-var/);

    w.child.kill('SIGINT');
    await w.child;
    expect(isProcessAlive(pid)).toBe(true);
  });
});
