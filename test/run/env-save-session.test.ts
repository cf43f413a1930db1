import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { environmentSaveFor } from '../../src/run/env-save.ts';
import { openPipeSession, type PipeSession, type PipeSessionOptions } from '../../src/run/session.ts';
import { specFor, uniqueMarker } from './helpers.ts';

const T = { timeoutMs: 5000 };
let dir: string;
const opened: PipeSession[] = [];

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'lt-envsave-')));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'env.sh'), 'export V=sourced\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

async function open(options: Partial<PipeSessionOptions> = {}, env: Record<string, string> = {}): Promise<PipeSession> {
  const s = await openPipeSession(specFor('host', dir, { env }), { tag: `test-envsave-${process.pid}-${uniqueMarker()}`, ...options });
  opened.push(s);
  return s;
}

/** What a restarted shell sees: the variable, whether it is exported, and the folder. */
const PROBE = 'echo "V=${V-unset} exported=$(env | grep -c "^V=") dir=${PWD##*/}"';

/**
 * The state changes a restart after a timeout must keep, each made by one kind of command the
 * session treats as changing the environment, followed by commands that change nothing (after
 * which the shell does not save), then a timeout.
 */
const KINDS: { what: string; commands: string[]; after: string }[] = [
  { what: 'export', commands: ['export V=1'], after: 'V=1 exported=1' },
  { what: 'a plain assignment to an exported variable', commands: ['export V=0', 'V=2'], after: 'V=2 exported=1' },
  { what: 'declare -x', commands: ['declare -x V=3'], after: 'V=3 exported=1' },
  { what: 'typeset -x', commands: ['typeset -x V=4'], after: 'V=4 exported=1' },
  { what: 'unset', commands: ['export V=0', 'unset V'], after: 'V=unset exported=0' },
  { what: 'export -n', commands: ['export V=0', 'export -n V'], after: 'V=unset exported=0' },
  { what: 'read', commands: ['export V=0', 'read V < env.sh'], after: 'V=export V=sourced exported=1' },
  { what: 'printf -v', commands: ['export V=0', 'printf -v V five'], after: 'V=five exported=1' },
  { what: 'let', commands: ['export V=5', 'let V++'], after: 'V=6 exported=1' },
  { what: '(( -- ))', commands: ['export V=5', '((V--))'], after: 'V=4 exported=1' },
  { what: 'a subscript with ++', commands: ['export V=1; a=(x y z)', 'echo ${a[V++]}'], after: 'V=2 exported=1' },
  { what: 'a for loop', commands: ['export V=0', 'for V in a b last; do :; done'], after: 'V=last exported=1' },
  { what: 'a parameter default', commands: ['export V', ': ${V:=dflt}'], after: 'V=dflt exported=1' },
  { what: 'source', commands: ['source ./env.sh'], after: 'V=sourced exported=1' },
  { what: 'a dot command', commands: ['. ./env.sh'], after: 'V=sourced exported=1' },
  { what: 'eval', commands: ['eval "export V=evald"'], after: 'V=evald exported=1' },
  { what: 'a function called later', commands: ['f() { export V=fn; }', 'f'], after: 'V=fn exported=1' },
  { what: 'a function from a sourced file', commands: ['echo "g() { export V=gfn; }" > fn.sh', '. ./fn.sh', 'g'], after: 'V=gfn exported=1' },
  { what: 'an alias used later', commands: ['alias h="export V=alias"', 'h'], after: 'V=alias exported=1' },
  { what: 'set -a, then an assignment', commands: ['set -a', 'V=allexp'], after: 'V=allexp exported=1' },
  // The trap copies a file into V before every command, so writing the file changes V.
  { what: 'a trap run by later commands', commands: ["echo first > v.txt; trap 'V=$(<v.txt)' DEBUG; export V", 'echo later > v.txt'], after: 'V=later exported=1' },
  { what: 'a command name in a variable', commands: ['x=cd', '$x sub'], after: 'V=unset exported=0 dir=sub' },
  { what: 'cd', commands: ['cd sub'], after: 'V=unset exported=0 dir=sub' },
  { what: 'pushd', commands: ['pushd sub >/dev/null'], after: 'V=unset exported=0 dir=sub' },
];

/** The probe's expected line: the folder is the session's own unless the case moves it. */
const expected = (after: string) => (after.includes('dir=') ? after : `${after} dir=${dir.split('/').at(-1)}`);

describe('saving the environment only after commands that may change it', () => {
  it.each(KINDS)('a restart after a timeout keeps what $what changed', async ({ commands, after }) => {
    const s = await open();
    for (const c of [...commands, 'echo nothing changes', 'true']) expect((await s.run(c, T)).timedOut).toBe(false);
    expect((await s.run('sleep 30', { timeoutMs: 300 })).timedOut).toBe(true);
    expect((await s.run(PROBE, T)).output.trim()).toBe(expected(after));
  });

  it.each(KINDS.filter((k) => k.commands.length > 1))('the same when typed ahead: $what', async ({ commands, after }) => {
    const s = await open();
    const all = [...commands, 'echo nothing changes', 'true'];
    await s.runAhead(all.map((command) => ({ command, timeoutMs: 5000 })));
    for (const c of all) expect((await s.run(c, T)).timedOut).toBe(false);
    expect((await s.run('sleep 30', { timeoutMs: 300 })).timedOut).toBe(true);
    expect((await s.run(PROBE, T)).output.trim()).toBe(expected(after));
  });

  it('keeps a variable a function imported from the environment sets', async () => {
    const s = await open({}, { 'BASH_FUNC_imp%%': '() { export V=imported; }' });
    await s.run('imp', T);
    await s.run('echo nothing changes', T);
    expect((await s.run('sleep 30', { timeoutMs: 300 })).timedOut).toBe(true);
    expect((await s.run(PROBE, T)).output.trim()).toBe(expected('V=imported exported=1'));
  });

  it('does not save after a command that changes nothing, and saves after one that may', async () => {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const s = await open({}, { TMPDIR: tmp });
    await s.run('export A=1', T);
    const [file] = readdirSync(tmp);
    expect(file).toMatch(/^\.labs-env-/);
    const path = join(tmp, file!);
    // A stand-in the shell would overwrite if it saved.
    writeFileSync(path, 'untouched\n');
    await s.run('echo hello', T);
    await s.run('ls -la >/dev/null; echo "$A"', T);
    expect(readFileSync(path, 'utf8')).toBe('untouched\n');
    await s.run('export B=2', T);
    expect(readFileSync(path, 'utf8')).toMatch(/declare -x B="2"/);
  });

  it('saves after every command when asked to', async () => {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const s = await open({ environmentSave: 'always' }, { TMPDIR: tmp });
    await s.run('export A=1', T);
    const path = join(tmp, readdirSync(tmp)[0]!);
    writeFileSync(path, 'untouched\n');
    await s.run('echo hello', T);
    expect(readFileSync(path, 'utf8')).toMatch(/declare -x A="1"/);
  });
});

/** Pieces of commands, some changing the shell's state and most not. */
const PIECES = [
  'echo hi',
  'true',
  'false',
  'ls >/dev/null',
  'echo "$HOME" | cat >/dev/null',
  'printf "%s\\n" a',
  'echo $((1 + 2))',
  'test -n x',
  '[ -d / ]',
  '(cd /)',
  'echo $(cd /; pwd)',
  'command -v bash >/dev/null',
  'if true; then echo y; fi',
  'echo {a,b}',
  'echo for the record',
  'export V=1',
  'V=2',
  'cd sub',
  'cd ..',
  'read V </dev/null',
  'printf -v V x',
  'let V++',
  '((V--))',
  'unset V',
  'export -n V',
  'for V in a b; do :; done',
  ': ${V:=z}',
  'echo ${a[V++]}',
  'f() { :; }',
  'alias g=true',
  'set -a',
  'x=cd; $x /',
  '$(echo true)',
  'eval "V=e"',
  'source /dev/null',
  "trap 'V=t' DEBUG",
  'shopt -s autocd',
];

/** Everything of the shell's state a restart restores or a later command could depend on. */
const STATE = 'export -p; echo "dir=$PWD"; echo "flags=$-"; declare -F; alias; trap -p; shopt | grep -w on';

describe('environmentSaveFor against bash', () => {
  it('never skips the save after a command that changed the exported variables or the folder, nor misses one that left code behind', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 3 }), fc.constantFrom('; ', '\n', ' && '), async (pieces, sep) => {
        const command = pieces.join(sep);
        const s = await open();
        try {
          await s.run('export V=0', T);
          const before = (await s.run(STATE, T)).output;
          await s.run(command, T);
          const after = (await s.run(STATE, T)).output;
          const verdict = environmentSaveFor(command);
          const [envBefore, restBefore] = split(before);
          const [envAfter, restAfter] = split(after);
          if (restAfter !== restBefore) expect(verdict, `${command}\n${restBefore}\n${restAfter}`).toBe('always');
          else if (envAfter !== envBefore) expect(verdict, command).not.toBe('skip');
        } finally {
          await s.close();
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});

/** The exported variables (without the protocol's own) with the folder, and the rest of the state: flags, functions, aliases, traps, options. */
function split(state: string): [string, string] {
  const env: string[] = [];
  const rest: string[] = [];
  for (const l of state.split('\n')) {
    const flags = /^declare -(\S+) (\S+?)(?:=|$)/.exec(l);
    if (l === '' || flags?.[2]?.startsWith('__lt_')) continue;
    if (l.startsWith('dir=') || (flags && flags[1]!.includes('x') && !flags[1]!.includes('f'))) env.push(l);
    else rest.push(l);
  }
  return [env.join('\n'), rest.join('\n')];
}
