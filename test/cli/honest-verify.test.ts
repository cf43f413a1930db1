import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixtures, labs } from './helpers.ts';

// Each false pass a new author found is a lab here that must now fail, with the cause named;
// each control (a value that really varies, an address reused by a later step) must still pass.

/** Writes a local lab `name` (lab.yaml extras + step files) into a fresh folder; returns the folder. */
async function makeLab(name: string, steps: Record<string, string>, yaml = ''): Promise<string> {
  const dir = await copyFixtures();
  await mkdir(join(dir, name));
  await writeFile(join(dir, name, 'lab.yaml'), `title: ${name}\ntarget: local\n${yaml}`);
  for (const [file, text] of Object.entries(steps)) await writeFile(join(dir, name, file), text);
  return dir;
}

const block = (body: string, meta = '') => `\`\`\`console${meta ? ` ${meta}` : ''}\n${body}\n\`\`\`\n`;

async function verify(steps: Record<string, string>, yaml = '', extra: string[] = []) {
  const dir = await makeLab('lab', steps, yaml);
  const r = await labs(['verify', 'lab', '--no-record', ...extra], dir);
  return { ...r, dir };
}

describe('no false passes', () => {
  it('an address typed in the command must be the one shown', async () => {
    const r = await verify({ '01-a.mdx': block('$ echo 10.1.2.3\n10.9.9.9') });
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain('10.9.9.9 cannot stand for 10.1.2.3: that address is typed in the command at lab/01-a.mdx:2');
  });

  it('a value assigned in the command is typed too, also inside an address with a prefix', async () => {
    const r = await verify({ '01-a.mdx': block('$ A=10.50.0.7; echo "inet $A/24"\ninet 10.50.0.8/24') });
    expect(r.exitCode).toBe(1);
    expect(r.all).toMatch(/10\.50\.0\.8 \(in 10\.50\.0\.8\/24\) cannot stand for 10\.50\.0\.7: that address is typed/);
  });

  it('a pinned value is matched literally: no other example may stand for it', async () => {
    const r = await verify({ '01-a.mdx': block('$ echo "default via 10.10.1.$((0 + 1))"\ndefault via 10.10.1.9') }, 'pin: ["10.10.1.1"]\n');
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain('10.10.1.9 cannot stand for 10.10.1.1: that address is pinned (lab/lab.yaml pin)');
  });

  it('a MAC address typed in the command must be the one shown', async () => {
    const r = await verify({ '01-a.mdx': block('$ echo link/ether 42:a5:ba:f7:76:97\nlink/ether 42:a5:ba:f7:76:98') });
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain('cannot stand for 42:a5:ba:f7:76:97');
  });

  it('a timestamp keeps its layout', async () => {
    const r = await verify({ '01-a.mdx': block("$ date -u -d @1796500800 '+%Y-%m-%dT%H:%M:%SZ'\nSat Dec  5 18:00:00 UTC 2026") });
    expect(r.exitCode).toBe(1);
    expect(r.all).toMatch(/expected a timestamp like "Sat Dec  5 18:00:00 UTC 2026"/);
  });

  it('a constant address is matched literally', async () => {
    const r = await verify({ '01-a.mdx': block('$ echo "listen 127.0.0.$((0 + 1)):80"\nlisten 10.0.0.9:80') });
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain('10.0.0.9 (in 10.0.0.9:80) cannot stand for 127.0.0.1: that address is the same on every machine');
  });

  it('controls: values that really vary, a timestamp of the same layout, an address a later step reuses', async () => {
    const r = await verify({
      '01-a.mdx': [
        block("$ echo \"pod at 10.0.$((RANDOM % 200 + 2)).$((RANDOM % 200 + 2))\"\npod at 10.244.0.7"),
        block("$ date -u '+%a %b %e %H:%M:%S %Z %Y'\nSat Dec  5 18:00:00 UTC 2026"),
        block('$ echo "old pod $((10)).0.0.5"\nold pod 10.244.1.7'),
      ].join('\n'),
      // A new pod in a later step may get the address an earlier step's pod had.
      '02-b.mdx': block('$ echo "new pod $((10)).0.0.5"\nnew pod 10.244.1.9'),
    });
    expect(r.all).not.toMatch(/✗/u);
    expect(r.exitCode).toBe(0);
  });

  it('within a step, two example values cannot be one real address', async () => {
    const r = await verify({
      '01-a.mdx': [block('$ echo "old pod $((10)).0.0.5"\nold pod 10.244.1.7'), block('$ echo "new pod $((10)).0.0.5"\nnew pod 10.244.1.9')].join('\n'),
    });
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain('two example values cannot be the same real address within a step');
  });
});

describe('all drift in one run', () => {
  it('a block goes on after a drifted command and reports every one', async () => {
    const r = await verify({ '01-a.mdx': block('$ echo one\nuno\n$ cd /tmp\n$ pwd\n/tmp\n$ echo three\ntres') }, '', ['--report', 'json=report.json']);
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(await readFile(join(r.dir, 'report.json'), 'utf8'));
    expect(report.blocks[0].reason).toMatch(/^2 of 4 commands failed: output of `echo one` drifted .*; output of `echo three` drifted/);
  });
});

describe('--update cannot corrupt a page', () => {
  async function update(steps: Record<string, string>, yaml = '') {
    const dir = await makeLab('lab', steps, yaml);
    const r = await labs(['verify', 'lab', '--update', '--no-record'], dir);
    const files = Object.fromEntries(await Promise.all(Object.keys(steps).map(async (f) => [f, await readFile(join(dir, 'lab', f), 'utf8')])));
    return { ...r, dir, files: files as Record<string, string> };
  }

  it('writes a typed value as it really is, and fixes every drifted command of a block in one pass', async () => {
    const u = await update({ '01-a.mdx': block('$ echo 10.1.2.3\n10.9.9.9\n$ echo two\nzwei\n$ echo three\nthree') });
    expect(u.files['01-a.mdx']).toBe(block('$ echo 10.1.2.3\n10.1.2.3\n$ echo two\ntwo\n$ echo three\nthree'));
    expect((await labs(['verify', 'lab', '--no-record'], u.dir)).exitCode).toBe(0);
  });

  it('leaves a disagreement between two learned values to the author, naming both places', async () => {
    const page = [
      block('$ echo "pod $((10)).0.0.5"\npod 10.244.1.7'),
      block('$ echo "same pod $((10)).0.0.5"\nsame pod 10.244.1.9'),
    ].join('\n');
    const u = await update({ '01-a.mdx': page });
    expect(u.exitCode).toBe(1);
    expect(u.files['01-a.mdx']).toBe(page);
    expect(u.all).toContain('10.244.1.9 (line 8) and 10.244.1.7 (lab/01-a.mdx:3) both stand for 10.0.0.5');
  });

  it('refuses output lines that would read as page syntax', async () => {
    for (const output of ['$ not a command', '```', '~~~', '...']) {
      const page = block(`$ printf '%s\\n' 'x' '${output}'\nx\ny`);
      const u = await update({ '01-a.mdx': page });
      expect(u.files['01-a.mdx'], output).toBe(page);
      expect(u.all).toMatch(/left alone: the real output has a line that would read as page syntax/);
    }
  });

  it('keeps [[…]] markers and example values that still match, and the block’s own line endings', async () => {
    const crlf = block("$ printf 'count 42 apples at %s.0.0.5 world\\n' 10\ncount [[41]] apples at 10.244.0.9 planet").replaceAll('\n', '\r\n');
    const u = await update({ '01-a.mdx': `# Title\n\n${crlf}` });
    expect(u.files['01-a.mdx']).toBe(`# Title\n\n${crlf.replace('planet', 'world')}`);
    expect((await labs(['verify', 'lab', '--no-record'], u.dir)).exitCode).toBe(0);
  });

  it('leaves a file alone whose bytes changed after the run read them', async () => {
    const dir = await makeLab('lab', {});
    const file = join(dir, 'lab', '01-a.mdx');
    // The command itself edits the page, as an editor saving during the run would.
    const page = block(`$ printf 'Edited meanwhile.\\n' >> ${file}; echo new\nold`);
    await writeFile(file, page);
    const r = await labs(['verify', 'lab', '--update', '--no-record'], dir);
    expect(r.all).toMatch(/01-a\.mdx changed after the run read it; not rewritten/);
    expect(await readFile(file, 'utf8')).toBe(`${page}Edited meanwhile.\n`);
  });
});

describe('sessions beyond bash', () => {
  it('runs blocks in sh (dash), busybox sh (ash) and a python3 REPL', async () => {
    const yaml = [
      'sessions:',
      '  dash: { prompt: "# ", command: "sh" }',
      '  ash: { prompt: "/ # ", command: "busybox sh" }',
      '  py: { prompt: ">>> ", repl: true, continuation: "... " }',
      '',
    ].join('\n');
    const r = await verify(
      {
        '01-a.mdx': [
          block('# cd /tmp && X=5; echo "x=$X in $PWD"\nx=5 in /tmp\n# false\n# echo $?\n1', 'session=dash exit=any'),
          block('/ # echo $((2 + 3)) && ls /definitely-missing\n5\nls: /definitely-missing: No such file or directory', 'session=ash exit=1'),
          block('$ python3 -q', 'opens=py'),
          block('>>> for i in range(2):\n...     print(i)\n...\n0\n1\n>>> x = 41\n>>> x + 1\n42', 'session=py'),
          block('>>> exit()', 'session=py'),
        ].join('\n'),
      },
      yaml,
    );
    expect(r.all).not.toMatch(/[✗!·]/u);
    expect(r.exitCode).toBe(0);
  });

  it('says which prompt it waited for and what the program printed when the prompt never comes', async () => {
    const r = await verify({ '01-a.mdx': block('$ python3 -q', 'opens=py timeout=2s') }, 'sessions:\n  py: { prompt: "py> ", repl: true }\n');
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain('`python3 -q` did not show the prompt "py> " of session py within 2s; it printed ">>>"');
  });

  it('keeps the protocol out of outputs under set -x and a custom PS1', async () => {
    const r = await verify({
      '01-a.mdx': block("$ set -x; echo traced\n+ echo traced\ntraced\n$ echo again\n+ echo again\nagain\n$ set +x\n+ set +x\n$ export PS1='custom> '; echo ps1\nps1\n$ echo after\nafter"),
    });
    expect(r.all).not.toMatch(/__lt_|[✗!]/u);
    expect(r.exitCode).toBe(0);
  });

  it('fails the block whose command ended its shell, instead of passing silently', async () => {
    const r = await verify({ '01-a.mdx': [block('$ set -e'), block('$ false\n'), block('$ echo fresh shell\nfresh shell')].join('\n') });
    expect(r.exitCode).toBe(1);
    expect(r.all).toMatch(/the session host ended during `false` \(status 1\): the command replaced or ended its shell/);
    expect(r.all).toMatch(/✓ 01-a-3/u);
  });
});

describe('background processes, honestly', () => {
  it('waits for ready=, fails one that exits early with its log, and one that never gets ready', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const r = await verify(
      {
        '01-a.mdx': [
          block(`$ mkdir -p www && echo hello > www/index.html && busybox httpd -f -p 127.0.0.1:${port} -h www`, `background ready=${port}`),
          block(`$ busybox wget -qO- http://127.0.0.1:${port}/\nhello`),
          block("$ echo 'cannot bind: address in use'; exit 3", 'background'),
          block('$ sleep 30', 'background ready="Listening" timeout=1s'),
          block('$ sleep 0.2; touch made-it; echo Listening; sleep 30', 'background ready=./made-it'),
          block('$ echo $?\n0'),
        ].join('\n'),
      },
      '',
      ['--report', 'json=report.json'],
    );
    const report = JSON.parse(await readFile(join(r.dir, 'report.json'), 'utf8'));
    expect(report.blocks.map((b: { status: string }) => b.status)).toEqual(['pass', 'pass', 'fail', 'fail', 'pass', 'pass']);
    expect(r.all).toMatch(/background command `echo 'cannot bind: address in use'; exit 3` exited .* after it started; it printed:\n\s*cannot bind: address in use/);
    expect(r.all).toContain('was not ready (it has not printed "Listening") after 1s; it printed nothing');
  });

  it('ready= belongs to background blocks', async () => {
    const r = await verify({ '01-a.mdx': block('$ echo hi\nhi', 'ready=8080') });
    expect(r.exitCode).toBe(2);
    expect(r.all).toContain('ready= is for background blocks');
  });
});

describe('--show-actual', () => {
  it('prints each command as it ran, with the real values, and what it printed', async () => {
    const r = await verify({ '01-a.mdx': block('$ X=10.0.0.$((4 + 1)); echo "ip $X"\nip 10.244.0.9\n$ echo 10.244.0.9\n10.244.0.9') }, '', ['--show-actual']);
    expect(r.exitCode).toBe(0);
    expect(r.all).toContain('$ echo 10.0.0.5\n');
    expect(r.all).toMatch(/│ ip 10\.0\.0\.5\n/);
    expect(r.all).toMatch(/\(exit 0\)/);
  });
});

describe('verifying one step', () => {
  it('replays the steps before it (unrecorded) so its state and values are there, and keeps their records', async () => {
    const dir = await makeLab('lab', {
      '01-a.mdx': block('$ echo made > state.txt; echo "pod at 10.0.0.$((4 + 3))"\npod at 10.244.0.9'),
      '02-b.mdx': block('$ cat state.txt; echo 10.244.0.9\nmade\n10.244.0.9'),
    });
    const full = await labs(['verify', 'lab'], dir);
    expect(full.exitCode).toBe(0);
    const before = JSON.parse(await readFile(join(dir, 'verification/lab.json'), 'utf8'));
    const one = await labs(['verify', 'lab/02-b.mdx', '--report', 'json=report.json'], dir);
    expect(one.all).toContain('replaying lab/01-a.mdx (not recorded)');
    expect(one.exitCode).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(report.blocks.map((b: { id: string }) => b.id)).toEqual(['02-b-1']);
    const after = JSON.parse(await readFile(join(dir, 'verification/lab.json'), 'utf8'));
    expect(after.blocks[0]).toEqual(before.blocks[0]);
    expect(after.blocks[1].at).not.toBe(before.blocks[1].at);
  });
});
