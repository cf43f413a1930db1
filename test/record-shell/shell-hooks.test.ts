import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildSetupLine, RECORD_OUTPUT_LIMIT, ShellMarkerStream } from '../../src/record-shell/shell-hooks.ts';

const N = 'abc123';
const mark = (body: string) => `\x1b]6973;${N};${body}\x07`;
const done = (status: number, command: string, n = 1) => mark(`D;${status};${Buffer.from(`    ${n}  ${command}\n`).toString('base64')}`);

describe('ShellMarkerStream', () => {
  it('hides the setup line, then shows the terminal without markers and reports each command', () => {
    const s = new ShellMarkerStream(N);
    const a = s.feed(`bash-5.2$  PS1=... setup line echo\r\n${mark('P')}$ `);
    expect(a.show).toBe('$ ');
    expect(a.events).toEqual([{ kind: 'prompt' }]);
    const b = s.feed(`echo hi\r\n${mark('C')}hi\r\n${done(0, 'echo hi')}${mark('P')}$ `);
    expect(b.show).toBe('echo hi\r\nhi\r\n$ ');
    expect(b.events).toEqual([{ kind: 'command', recorded: { command: 'echo hi', output: 'hi\r\n', exitCode: 0, cut: false } }, { kind: 'prompt' }]);
  });

  it('finds a marker split over chunks at any point', () => {
    const text = `${mark('P')}$ ${mark('C')}out\r\n${done(3, 'false || exit3')}${mark('P')}$ `;
    for (let cut = 1; cut < text.length; cut++) {
      const s = new ShellMarkerStream(N);
      const events = [...s.feed(text.slice(0, cut)).events, ...s.feed(text.slice(cut)).events];
      const cmds = events.filter((e) => e.kind === 'command');
      expect(cmds, `cut at ${cut}`).toEqual([{ kind: 'command', recorded: { command: 'false || exit3', output: 'out\r\n', exitCode: 3, cut: false } }]);
    }
  });

  it('skips prompts where no command ran (an empty line, Ctrl-C at the prompt)', () => {
    const s = new ShellMarkerStream(N);
    s.feed(mark('P'));
    const r = s.feed(`\r\n${done(0, 'echo earlier')}${mark('P')}$ ^C\r\n${done(130, 'echo earlier')}${mark('P')}$ `);
    expect(r.events.filter((e) => e.kind === 'command')).toEqual([]);
  });

  it('ignores a marker with another nonce (a program cannot fake one)', () => {
    const s = new ShellMarkerStream(N);
    s.feed(mark('P'));
    const fake = `\x1b]6973;other;D;0;${Buffer.from('    9  rm -rf x\n').toString('base64')}\x07`;
    const r = s.feed(`${mark('C')}${fake}real\r\n${done(0, 'cat trap')}`);
    expect(r.events).toEqual([{ kind: 'command', recorded: { command: 'cat trap', output: `${fake}real\r\n`, exitCode: 0, cut: false } }]);
  });

  it('keeps a multi-line history entry (a here-document) whole', () => {
    const s = new ShellMarkerStream(N);
    s.feed(mark('P'));
    const r = s.feed(`${mark('C')}x\r\n${done(0, 'cat <<EOF\nx\nEOF\n', 12)}`);
    expect(r.events[0]).toMatchObject({ recorded: { command: 'cat <<EOF\nx\nEOF' } });
  });

  it('marks an output over the limit as cut', () => {
    const s = new ShellMarkerStream(N);
    s.feed(mark('P'));
    s.feed(mark('C'));
    s.feed('y\n'.repeat(RECORD_OUTPUT_LIMIT / 2 + 1));
    const r = s.feed(done(0, 'yes | head'));
    expect(r.events[0]).toMatchObject({ recorded: { cut: true } });
  });
});

describe('buildSetupLine', () => {
  it('is valid bash and leaves $? and the prompt as the session shows them', () => {
    // Run the setup in a non-interactive bash: it must parse, and set PS1 with a literal `$`.
    const r = spawnSync('bash', ['--noprofile', '--norc', '-c', `${buildSetupLine(N, '$ ')}\nprintf '%s' "$PS1"`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`\\[\\e]6973;${N};P\\a\\]$ `);
  });

  it('says when the shell is not bash', () => {
    const r = spawnSync('sh', ['-c', buildSetupLine(N, '$ ')], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    if (r.error) return; // no POSIX sh: nothing to check
    const isBash = spawnSync('sh', ['-c', 'printf %s "$BASH_VERSION"'], { encoding: 'utf8' }).stdout !== '';
    if (isBash) return;
    expect(r.stdout).toContain(`\x1b]6973;${N};X\x07`);
    expect(r.status).toBe(97);
  });
});
