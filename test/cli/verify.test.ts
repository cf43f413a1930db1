import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixtures, labs } from './helpers.ts';

describe('labs verify on the local target', () => {
  it('passes a lab whose outputs match, with state, files, modes and bindings', async () => {
    const dir = await copyFixtures('passing');
    const r = await labs(['verify', 'passing', '--report', 'json=report.json'], dir);
    expect(r.all).not.toMatch(/✗|!/u);
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(report.summary).toMatchObject({ failed: 0, errors: 0, skipped: 1 });
    expect(report.summary.passed).toBeGreaterThan(10);
    const record = JSON.parse(await readFile(join(dir, 'verification/passing.json'), 'utf8'));
    expect(record.environment.target).toBe('local');
    const names = record.blocks.find((b: { bindings: Record<string, string> }) => 'web-6c5b4d9f7-x2k4m' in b.bindings);
    expect(names.bindings['web-6c5b4d9f7-x2k4m']).toBe('web-5746f499f-qzjjq');
  });

  it('exits 1 on drift with a diff naming file and line, and leaves the source alone', async () => {
    const dir = await copyFixtures('drifted');
    const before = await readFile(join(dir, 'drifted/01-drift.mdx'), 'utf8');
    const r = await labs(['verify', 'drifted', '--report', 'markdown=report.md', '--report', 'junit=junit.xml'], dir);
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain('drifted/01-drift.mdx:5');
    expect(r.all).toMatch(/planet/);
    expect(r.all).toMatch(/world/);
    expect(await readFile(join(dir, 'drifted/01-drift.mdx'), 'utf8')).toBe(before);
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('drift detected');
    expect(md).toContain('`greeting`');
    const xml = await readFile(join(dir, 'junit.xml'), 'utf8');
    expect(xml).toMatch(/<failure[^>]*message="output of/);
  });

  it('fails a command that times out, restarts its session where it was and runs the rest of the step', async () => {
    const dir = await copyFixtures('timeout');
    const r = await labs(['verify', 'timeout', '--report', 'json=report.json'], dir);
    expect(r.exitCode).toBe(1);
    expect(r.all).toMatch(/timed out after 500ms/);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    // The timed-out block fails; its next command and the next block run in the restored session
    // (same folder, exported variables kept).
    expect(report.blocks.map((b: { status: string }) => b.status)).toEqual(['pass', 'fail', 'pass']);
  });

  it('fails a command whose exit status is not the expected one', async () => {
    const dir = await copyFixtures('wrong-exit');
    const r = await labs(['verify', 'wrong-exit'], dir);
    expect(r.exitCode).toBe(1);
    expect(r.all).toMatch(/exited 2 \(expected 0\)/);
  });

  it('refuses two example names bound to one real name', async () => {
    const dir = await copyFixtures('binding-conflict');
    const r = await labs(['verify', 'binding-conflict', '--report', 'json=report.json'], dir);
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(report.blocks.map((b: { status: string }) => b.status)).toEqual(['pass', 'fail']);
    expect(report.blocks[1].diff).toContain('web-6c5b4d9f7-bcd24');
  });

  it('reports a wait= block that passed on the third attempt as flaky, and exits 0', async () => {
    const dir = await copyFixtures('wait-flaky');
    const r = await labs(['verify', 'wait-flaky', '--report', 'json=report.json'], dir);
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(report.summary.flaky).toBe(1);
    expect(report.blocks[0]).toMatchObject({ status: 'flaky', attempts: 3 });
  });
});

describe('interrupting a run', () => {
  it('on SIGINT kills what runs, still runs teardown, writes a partial report and exits 130', async () => {
    const { readdir } = await import('node:fs/promises');
    const dir = await copyFixtures('interrupt');
    const markers = join(dir, 'markers');
    await (await import('node:fs/promises')).mkdir(markers);
    const running = () => findProcesses(/^sleep 30(17|19)$/);
    const child = labs(['verify', 'interrupt', '--report', 'json=report.json'], dir, { LABS_MARKER_DIR: markers });
    for (let i = 0; i < 200 && (await running()).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await running()).toHaveLength(2);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect((await readdir(markers)).sort()).toEqual(['setup-ran', 'teardown-ran']);
    expect(await running()).toEqual([]);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(report.interrupted).toBe(true);
    expect(report.blocks[0]).toMatchObject({ status: 'pass' });
    const record = JSON.parse(await readFile(join(dir, 'verification/interrupt.json'), 'utf8'));
    expect(record.partial).toBe(true);
  });
});

async function findProcesses(cmdline: RegExp): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.test(cmd.split('\0').filter(Boolean).join(' '))) found.push(pid);
  }
  return found;
}
