import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { capText } from '../../src/model/cap-output.ts';
import { MarkerScanner, openPipeSession, quoteShell, type PipeSession } from '../../src/run/session.ts';
import { specFor } from './helpers.ts';

const T = { timeoutMs: 10_000 };
let dir: string;
let session: PipeSession;

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'lt-session-')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  session = await openPipeSession(specFor('host', dir, { env: { LAB_GREETING: 'hello lab' } }), { tag: `test-session-${process.pid}` });
});
afterEach(async () => {
  await session.close();
});

describe('persistent session state', () => {
  it('keeps the working directory between commands', async () => {
    await session.run('mkdir -p sub && cd sub', T);
    expect((await session.run('pwd', T)).output).toBe(`${dir}/sub\n`);
    expect(session.cwd).toBe(`${dir}/sub`);
  });

  it('keeps exported and plain shell variables', async () => {
    await session.run('export X=1; Y=two', T);
    expect((await session.run('echo "$X $Y"; sh -c \'echo "child sees [$X] [$Y]"\'', T)).output).toBe('1 two\nchild sees [1] []\n');
  });

  it('keeps functions and aliases', async () => {
    await session.run('greet() { echo "hi $1"; }', T);
    await session.run("alias ll='echo listing'", T);
    expect((await session.run('greet you; ll', T)).output).toBe('hi you\nlisting\n');
  });

  it('reports exit codes and keeps $? for the next command', async () => {
    const failed = await session.run('false', T);
    expect(failed.exitCode).toBe(1);
    expect(failed.closed).toBe(false);
    const status = await session.run('echo "last: $?"', T);
    expect(status.output).toBe('last: 1\n');
    expect(status.exitCode).toBe(0);
    expect((await session.run('(exit 42)', T)).exitCode).toBe(42);
  });

  it('pins the environment and applies spec.env', async () => {
    const out = (await session.run('echo "$LANG $LC_ALL $TZ $COLUMNS $NO_COLOR $TERM $PAGER"; echo "$LAB_GREETING"', T)).output;
    expect(out).toBe('C.UTF-8 C.UTF-8 UTC 200 1 dumb cat\nhello lab\n');
  });

  it('prints shell errors as an interactive terminal does', async () => {
    const out = await session.run('no-such-command-lt', T);
    expect(out.output).toBe('bash: no-such-command-lt: command not found\n');
    expect(out.exitCode).toBe(127);
  });
});

describe('protocol robustness', () => {
  it('keeps prompts out of later outputs, whichever way a command sets them (PS0, PS1, PROMPT_COMMAND as an array)', async () => {
    await session.run(`PS0='[ps0]'; PS1='[ps1] '; PROMPT_COMMAND=('echo pc0' 'echo pc1')`, T);
    expect((await session.run('echo one', T)).output).toBe('one\n');
    // Typed ahead, each command's line is read while the one before may have set them again.
    const typed = await session.runAhead([
      { command: `PS0='[ps0]'; PROMPT_COMMAND=('echo pc0' 'echo pc1')`, timeoutMs: T.timeoutMs },
      { command: 'echo two', timeoutMs: T.timeoutMs },
      { command: 'echo three', timeoutMs: T.timeoutMs },
    ]);
    expect(typed).toBe(true);
    const outs = [];
    for (const command of [`PS0='[ps0]'; PROMPT_COMMAND=('echo pc0' 'echo pc1')`, 'echo two', 'echo three']) outs.push((await session.run(command, T)).output);
    expect(outs).toEqual(['', 'two\n', 'three\n']);
  });

  it('gives stdin-reading commands an empty stdin', async () => {
    const cat = await session.run('cat', T);
    expect(cat).toMatchObject({ output: '', exitCode: 0, timedOut: false });
    expect((await session.run('read -r line; echo "got [$line] $?"', T)).output).toBe('got [] 1\n');
    expect((await session.run('echo still here', T)).output).toBe('still here\n');
  });

  it('feeds here-documents to their command', async () => {
    const out = await session.run("cat <<EOF\nhome is $HOME\n  indented\nEOF\ncat <<'RAW'\n$NOT_EXPANDED\nRAW", T);
    expect(out.output).toBe(`home is ${process.env.HOME}\n  indented\n$NOT_EXPANDED\n`);
  });

  it('runs continuation lines as one command', async () => {
    expect((await session.run('echo one \\\n  two', T)).output).toBe('one two\n');
  });

  it('survives a syntax error (unclosed quote) and keeps going', async () => {
    const broken = await session.run('echo "unclosed', T);
    expect(broken.exitCode).toBe(2);
    expect(broken.output).toContain('unexpected EOF');
    expect(broken.closed).toBe(false);
    const broken2 = await session.run("if true; then echo 'x'", T);
    expect(broken2.exitCode).not.toBe(0);
    expect((await session.run('echo fine', T)).output).toBe('fine\n');
  });

  it('keeps output without a trailing newline exact', async () => {
    expect((await session.run('printf "no newline"', T)).output).toBe('no newline');
    expect((await session.run('printf ""', T)).output).toBe('');
    expect((await session.run('echo next', T)).output).toBe('next\n');
  });

  it('merges stdout and stderr in arrival order', async () => {
    expect((await session.run('echo out1; echo err1 >&2; echo out2', T)).output).toBe('out1\nerr1\nout2\n');
  });

  it('passes ANSI escapes, carriage returns and odd bytes through raw', async () => {
    const out = await session.run("printf '\\033[31mred\\033[0m\\r50%%\\r100%%\\n\\001\\002tab\\there\\n'", T);
    expect(out.output).toBe('\u001b[31mred\u001b[0m\r50%\r100%\n\u0001\u0002tab\there\n');
  });

  it('does not mistake output that looks like a sentinel for one', async () => {
    const out = await session.run("echo '__LT_E0000000000000000_1 0 /'; echo __LT_; echo done", T);
    expect(out.output).toBe('__LT_E0000000000000000_1 0 /\n__LT_\ndone\n');
    expect(out.exitCode).toBe(0);
  });

  it('streams 10 MB of output and returns all of it', async () => {
    let streamed = 0;
    const out = await session.run("head -c 10000000 /dev/zero | tr '\\0' 'a'; echo; echo end", {
      timeoutMs: 60_000,
      onOutput: (c) => (streamed += c.length),
    });
    expect(out.output.length).toBe(10_000_000 + 1 + 4);
    expect(out.output.endsWith('a\nend\n')).toBe(true);
    expect(streamed).toBe(out.output.length);
  }, 60_000);

  it('runs commands one at a time when called concurrently', async () => {
    const [a, b] = await Promise.all([session.run('sleep 0.2; echo a', T), session.run('echo b', T)]);
    expect(a.output).toBe('a\n');
    expect(b.output).toBe('b\n');
  });
});

describe('closing', () => {
  it('closes on `exit N` with that status', async () => {
    const out = await session.run('exit 3', T);
    expect(out).toMatchObject({ exitCode: 3, closed: true, timedOut: false });
    expect(session.alive).toBe(false);
    await expect(session.run('echo no', T)).rejects.toThrow(/closed/);
  });

  it('close() removes the file the shell saves its environment in', async () => {
    const tmp = join(dir, `tmp-${Math.random().toString(36).slice(2)}`);
    mkdirSync(tmp);
    const s = await openPipeSession(specFor('host', dir, { env: { TMPDIR: tmp } }), { tag: `test-envfile-${process.pid}` });
    // An assignment, so the shell saves its environment (a command that changes nothing does not).
    expect((await s.run('X=1; echo "$__lt_envf"', T)).output).toMatch(new RegExp(`^${tmp}/\\.labs-env-[0-9a-f]+\n$`));
    expect(readdirSync(tmp).filter((f) => f.startsWith('.labs-env-'))).toHaveLength(1);
    await s.close();
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('close() is idempotent and ends the shell', async () => {
    const pid = session.pid!;
    await session.close();
    await session.close();
    expect(session.alive).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('rejects with the shell output when the session command cannot start a shell', async () => {
    await expect(openPipeSession(specFor('bad', dir, { command: 'ip netns exec lt-does-not-exist-x bash' }), { tag: 't' })).rejects.toThrow(
      /session "bad".*exited with status \d+.*lt-does-not-exist-x/s,
    );
  });
});

describe('writeFile', () => {
  it('writes relative to the current directory, creating parents, byte for byte', async () => {
    await session.run('mkdir -p work && cd work', T);
    const content = "apiVersion: v1\nkind: Pod\n# ünïcödé, 'quotes' and \"dq\" $HOME `tick`\n\ttab\nno final newline";
    await session.writeFile('deep/er/pod.yaml', content);
    expect(readFileSync(join(dir, 'work/deep/er/pod.yaml'), 'utf8')).toBe(content);
    expect((await session.run('cat deep/er/pod.yaml | wc -l', T)).output.trim()).toBe('4');
  });

  it('writes empty files and keeps $? of the last command', async () => {
    await session.run('false', T);
    await session.writeFile('empty.txt', '');
    expect(readFileSync(join(dir, 'empty.txt'), 'utf8')).toBe('');
    expect((await session.run('echo $?', T)).output).toBe('1\n');
  });
});

describe('MarkerScanner', () => {
  it('finds a token split across many chunks and returns what follows', () => {
    const s = new MarkerScanner('<END>');
    const chunks = ['abc<', 'E', 'N', 'D', '>tail'];
    const results = chunks.map((c) => s.feed(c));
    expect(results.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    expect(results[4]).toBe('tail');
    expect(s.text()).toBe('abc');
  });

  it('streams everything but a possible token prefix', () => {
    const seen: string[] = [];
    const s = new MarkerScanner('<END>', (c) => seen.push(c));
    s.feed('hello <E');
    expect(seen.join('')).toBe('hell');
    expect(s.text(true)).toBe('hello <E');
  });
});

describe('quoteShell', () => {
  it('round-trips awkward text through a shell', async () => {
    const text = "it's a \"test\" with $VAR and `cmd` and \\ and \n newline";
    expect((await session.run(`printf '%s' ${quoteShell(text)}`, T)).output).toBe(text);
  });
});

describe('MarkerScanner with a limit', () => {
  const piece = fc.string({ unit: fc.constantFrom('a', 'é', '\n', ' ', '<', 'E'), maxLength: 30 });
  it('gives what capping the whole text gives, however it is chunked and wherever the token is', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.integer({ min: 4, max: 80 }), fc.boolean(), fc.boolean(), (pieces, limit, withToken, ended) => {
        const whole = pieces.join('');
        const before = whole.replaceAll('<END>', '');
        const stream = withToken ? `${before}<END>after` : before;
        const s = new MarkerScanner('<END>', undefined, limit);
        const plain = new MarkerScanner('<END>');
        // The same stream in the pieces' own chunks, the token possibly split across them.
        let at = 0;
        let rest: string | undefined;
        for (const p of [...pieces.map((p) => p.length), Infinity]) {
          const chunk = stream.slice(at, at + p);
          at += chunk.length;
          if (chunk === '') continue;
          rest = s.feed(chunk);
          plain.feed(chunk);
        }
        expect(rest !== undefined).toBe(withToken);
        const full = plain.text(ended);
        expect(s.text(ended)).toBe(capText(full, limit));
        if (withToken) expect(full).toBe(before);
      }),
      { numRuns: 2000 },
    );
  });
});
