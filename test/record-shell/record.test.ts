import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, spawnLabs, type PtyRun } from '../update/drive-pty.ts';

const made: string[] = [];
afterEach(async () => {
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
});

const PAGE = '---\ntitle: First\n---\n\nSome prose that stays.\n\n```console\n$ echo existing\nexisting\n```\n';

/** A local lab whose setup leaves a file in the work folder and whose teardown leaves a mark outside it. */
async function labFolder(): Promise<{ dir: string; file: string; mark: string; env: Record<string, string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'labs-record-test-'));
  made.push(dir);
  await mkdir(join(dir, 'demo'));
  const mark = join(dir, 'teardown-ran');
  await writeFile(join(dir, 'demo/lab.yaml'), `title: Demo\ntarget: local\nsetup: ["echo from-setup > state.txt"]\nteardown: ["touch ${mark}"]\n`);
  const file = join(dir, 'demo/01-first.mdx');
  await writeFile(file, PAGE);
  return { dir, file, mark, env: { LABS_LOCK_DIR: join(dir, 'locks'), NO_COLOR: '1' } };
}

/** Types one command line and waits for the prompt after it. */
async function type(run: PtyRun, at: number, line: string): Promise<number> {
  run.type(line + '\r');
  return run.waitFor(/\n\$ $/, at);
}

const labs = (args: string[], cwd: string, env: Record<string, string>) => execa(process.execPath, [join(ROOT, 'bin/labs.js'), ...args], { cwd, reject: false, all: true, env });

describe('labs record', () => {
  it('appends what the author typed and saw as console blocks, and labs verify then passes', async () => {
    const { dir, file, mark, env } = await labFolder();
    const run = spawnLabs(['record', 'demo/01-first.mdx'], dir, env);
    let at = await run.waitFor('Type exit or press Ctrl-D to finish.');
    at = await run.waitFor(/\$ $/, at);
    at = await type(run, at, 'cat state.txt'); // setup ran in the recording's work folder
    at = await type(run, at, '');
    at = await type(run, at, "printf 'one\\ttwo   \\n\\033[32mgreen\\033[0m\\n'");
    at = await type(run, at, 'ls /does-not-exist');
    run.type('cat <<EOF\r');
    await run.waitFor('> ', at);
    run.type('x y\r');
    run.type('EOF\r');
    at = await run.waitFor(/x y\n\$ $/, at);
    at = await type(run, at, 'NAME=world; echo "hello $NAME"');
    run.type('exit\r');
    expect(await run.exited).toBe(0);
    expect(run.text()).toContain('record: demo/01-first.mdx: 5 blocks added');

    expect(await readFile(file, 'utf8')).toBe(
      PAGE +
        '\n```console\n$ cat state.txt\nfrom-setup\n```\n' +
        "\n```console\n$ printf 'one\\ttwo   \\n\\033[32mgreen\\033[0m\\n'\none\ttwo\ngreen\n```\n" +
        "\n```console exit=2\n$ ls /does-not-exist\nls: cannot access '/does-not-exist': No such file or directory\n```\n" +
        '\n```console\n$ cat <<EOF\nx y\nEOF\nx y\n```\n' +
        '\n```console\n$ NAME=world; echo "hello $NAME"\nhello world\n```\n',
    );
    await stat(mark); // teardown ran

    const verify = await labs(['verify', 'demo', '--no-record'], dir, env);
    expect(verify.all).toMatch(/6 passed/);
    expect(verify.exitCode).toBe(0);
  });

  it('records into a session started by its command, with its prompt', async () => {
    const { dir, file, env } = await labFolder();
    await writeFile(join(dir, 'demo/lab.yaml'), 'title: Demo\ntarget: local\nsessions:\n  inner: { prompt: "inner# ", command: "bash --norc --noprofile" }\n');
    const run = spawnLabs(['record', 'demo/01-first.mdx', '--session', 'inner'], dir, env);
    let at = await run.waitFor(/inner# $/);
    run.type('echo inside\r');
    at = await run.waitFor(/inside\ninner# $/, at);
    run.type('exit\r');
    expect(await run.exited).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(PAGE + '\n```console session=inner\ninner# echo inside\ninside\n```\n');
    expect((await labs(['verify', 'demo', '--no-record'], dir, env)).exitCode).toBe(0);
  });

  it('says so when the session is not bash, and writes nothing', async () => {
    const { dir, file, env } = await labFolder();
    await writeFile(join(dir, 'demo/lab.yaml'), 'title: Demo\ntarget: local\nsessions:\n  box: { prompt: "/ # ", command: "busybox sh" }\n');
    const run = spawnLabs(['record', 'demo/01-first.mdx', '--session', 'box'], dir, env);
    expect(await run.exited).toBe(2);
    expect(run.text()).toContain('session "box" (busybox sh) is not bash; labs record needs bash');
    expect(await readFile(file, 'utf8')).toBe(PAGE);
  });

  it('--replay runs the earlier steps first, unrecorded, so their state is there', async () => {
    const { dir, file, env } = await labFolder();
    const second = join(dir, 'demo/02-second.mdx');
    await writeFile(
      file,
      PAGE +
        '\n```console\n$ mkdir -p data && cd data\n$ echo from-step-one > one.txt\n```\n' +
        '\n```text file=notes.txt\nhello notes\n```\n' +
        '\n```console skip="for the reader"\n$ touch skipped.txt\n```\n' +
        '\n```console\n$ test -e not-there\n```\n',
    );
    await writeFile(second, '---\ntitle: Second\n---\n');
    const run = spawnLabs(['record', '--replay', 'demo/02-second.mdx'], dir, env);
    let at = await run.waitFor(/\$ $/, await run.waitFor('Type exit'));
    expect(run.text()).toContain('replayed 5 commands of the earlier steps (unchecked, not recorded); 1 did not end as the page says');
    expect(run.text()).toContain('demo/01-first.mdx:26 (exit 1, the page says 0)');
    expect(run.text()).toContain('not replayed: demo/01-first.mdx:21 — skip=');
    expect(run.text()).not.toContain('from-step-one'); // the replay is not shown
    at = await type(run, at, 'basename "$PWD"; cat one.txt notes.txt; ls');
    run.type('exit\r');
    expect(await run.exited).toBe(0);
    expect(await readFile(second, 'utf8')).toBe('---\ntitle: Second\n---\n\n```console\n$ basename "$PWD"; cat one.txt notes.txt; ls\ndata\nfrom-step-one\nhello notes\nnotes.txt\none.txt\n```\n');
    // Nothing of the replay was recorded into the first step.
    expect(await readFile(file, 'utf8')).not.toContain('basename');
  });

  it('Ctrl-C during setup stops it, runs teardown and exits 130', async () => {
    const { dir, file, mark, env } = await labFolder();
    await writeFile(join(dir, 'demo/lab.yaml'), `title: Demo\ntarget: local\nsetup: ["sleep 45"]\nteardown: ["touch ${mark}"]\n`);
    const run = spawnLabs(['record', 'demo/01-first.mdx'], dir, env);
    await run.waitFor('setup');
    await new Promise((r) => setTimeout(r, 500));
    run.type('\x03');
    expect(await run.exited).toBe(130);
    expect(run.text()).toContain('SIGINT: stopping; teardown still runs');
    await stat(mark);
    expect(await readFile(file, 'utf8')).toBe(PAGE);
  });

  it('creates a new step named as a step, and removes it again when nothing was recorded', async () => {
    const { dir, env } = await labFolder();
    const second = join(dir, 'demo/02-routes-and-rules.mdx');
    let run = spawnLabs(['record', 'demo/02-routes-and-rules.mdx'], dir, env);
    let at = await run.waitFor(/\$ $/, await run.waitFor('Type exit'));
    expect(run.text()).toContain('created demo/02-routes-and-rules.mdx');
    at = await type(run, at, 'echo routed');
    run.type('exit\r');
    expect(await run.exited).toBe(0);
    expect(await readFile(second, 'utf8')).toBe('---\ntitle: "Routes and rules"\n---\n\n```console\n$ echo routed\nrouted\n```\n');

    const third = join(dir, 'demo/03-empty.mdx');
    run = spawnLabs(['record', 'demo/03-empty.mdx'], dir, env);
    await run.waitFor(/\$ $/, await run.waitFor('Type exit'));
    run.type('\x04');
    expect(await run.exited).toBe(0);
    await expect(stat(third)).rejects.toThrow();
    // Not in a lab folder, or not named as a step: not created.
    const stray = spawnLabs(['record', 'notes.mdx'], dir, env);
    expect(await stray.exited).toBe(2);
    await expect(stat(join(dir, 'notes.mdx'))).rejects.toThrow();
  });

  it('leaves no process behind and writes nothing when nothing ran', async () => {
    const { dir, file, env } = await labFolder();
    const tag = `sleep ${400 + Math.floor(Math.random() * 500)}.5`;
    const run = spawnLabs(['record', 'demo/01-first.mdx'], dir, env);
    let at = await run.waitFor(/\$ $/, await run.waitFor('Type exit'));
    at = await type(run, at, `(${tag} &) ; sleep 3 &`);
    run.type('sleep 30\r');
    at = await run.waitFor('sleep 30\n', at);
    run.type('\x03'); // interrupted: not written
    at = await run.waitFor(/\n\$ $/, at);
    run.type('\x04'); // Ctrl-D ends the recording
    expect(await run.exited).toBe(0);
    expect(run.text()).toContain('`sleep 30` was interrupted');
    const pgrep = (() => {
      try {
        return execFileSync('pgrep', ['-f', tag], { encoding: 'utf8' });
      } catch {
        return '';
      }
    })();
    expect(pgrep).toBe('');
    const page = await readFile(file, 'utf8');
    expect(page).not.toContain('sleep 30');
  });

  it('keeps the recording aside when the page changed meanwhile', async () => {
    const { dir, file, env } = await labFolder();
    const run = spawnLabs(['record', 'demo/01-first.mdx'], dir, env);
    let at = await run.waitFor(/\$ $/, await run.waitFor('Type exit'));
    at = await type(run, at, 'echo recorded');
    await appendFile(file, '\nAn edit made in another window.\n');
    run.type('exit\r');
    expect(await run.exited).toBe(1);
    expect(run.text()).toContain('demo/01-first.mdx not changed: it changed while the recording ran');
    expect(await readFile(file, 'utf8')).toBe(PAGE + '\nAn edit made in another window.\n');
    expect(await readFile(file + '.recording', 'utf8')).toBe('```console\n$ echo recorded\nrecorded\n```\n');
  });

  it('refuses without a terminal, an unknown session or a missing step file, running nothing', async () => {
    const { dir, mark, env } = await labFolder();
    const noTty = await execa(process.execPath, [join(ROOT, 'bin/labs.js'), 'record', 'demo/01-first.mdx'], { cwd: dir, reject: false, all: true, input: 'echo hi\n', env });
    expect(noTty.exitCode).toBe(2);
    expect(noTty.all).toContain('labs record needs a terminal: standard input is not one');
    const session = spawnLabs(['record', 'demo/01-first.mdx', '--session', 'hots'], dir, env);
    expect(await session.exited).toBe(2);
    expect(session.text()).toMatch(/no session "hots" in demo — did you mean "host"\?/);
    const missing = spawnLabs(['record', 'elsewhere/09-none.mdx'], dir, env);
    expect(await missing.exited).toBe(2);
    expect(missing.text()).toContain('elsewhere/09-none.mdx:1:1 step file not found');
    await expect(stat(mark)).rejects.toThrow(); // no setup or teardown ran
  });
});
