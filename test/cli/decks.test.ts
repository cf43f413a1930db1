import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixtures, labs, ROOT } from './helpers.ts';

// A project with a lab and two decks: `talk` defines its own sessions under `verify:`, `borrow`
// runs with the lab `helper`'s lab.yaml.
describe('labs verify on slide decks', () => {
  it('runs a deck as a lab of one step and records it where the site looks', async () => {
    const dir = join(await copyFixtures('decks'), 'decks');
    const markers = join(dir, 'markers');
    await mkdir(markers);
    const r = await labs(['verify', 'slides/talk.mdx', '--report', 'json=report.json'], dir, { LABS_MARKER_DIR: markers });
    expect(r.exitCode).toBe(0);
    expect((await readdir(markers)).sort()).toEqual(['setup.ran', 'teardown.ran']);
    const record = JSON.parse(await readFile(join(dir, 'verification/slides-talk.json'), 'utf8'));
    expect(record.lab).toBe('slides-talk');
    expect(record.blocks.map((b: { status: string }) => b.status)).toEqual(['pass', 'pass', 'skip']);
    expect(record.blocks[1]).toMatchObject({ file: 'slides/talk.mdx', line: 23 });
  });

  it('exits 1 when a deck block drifted, naming the deck and line', async () => {
    const dir = join(await copyFixtures('decks'), 'decks');
    const file = join(dir, 'slides/talk.mdx');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^hello from the deck$/m, 'hello from the stage'));
    const r = await labs(['verify', 'slides/talk.mdx', '--no-record'], dir, { LABS_MARKER_DIR: dir });
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain('slides/talk.mdx:16');
    expect(r.all).toMatch(/expected "stage", got "deck"/);
  });

  it('borrows the sessions of the lab named by verify.lab', async () => {
    const dir = join(await copyFixtures('decks'), 'decks');
    const r = await labs(['verify', 'slides/borrow.mdx'], dir);
    expect(r.exitCode).toBe(0);
    expect(r.all).toContain('opening session calc');
    const record = JSON.parse(await readFile(join(dir, 'verification/slides-borrow.json'), 'utf8'));
    expect(record.blocks[0].status).toBe('pass');
  });

  it('takes a project’s decks along with its labs by default', async () => {
    const dir = join(await copyFixtures('decks'), 'decks');
    const r = await labs(['check'], dir);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('ok: 1 lab, 1 step, 2 decks, 5 blocks');
    const list = await labs(['list'], dir);
    expect(list.stdout).toMatch(/^slides-talk {2}A talk with live blocks {2}\(target local, never verified\)$/m);
  });

  it('reports every problem of a deck’s verify: section at its line, before running anything', async () => {
    const dir = join(await copyFixtures('decks'), 'decks');
    await writeFile(
      join(dir, 'slides/bad.mdx'),
      ['---', 'title: Bad', 'verify:', '  sesions:', '    x: { prompt: "x$ " }', '  requires: root', '  lab: nope', '---', '', '```console', '$ true', '```', ''].join('\n'),
    );
    const r = await labs(['verify', 'slides/bad.mdx'], dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('slides/bad.mdx:7:8 no lab "nope"');
    // The lab it names is missing, so the rest of verify: is checked once that is fixed.
    const fixed = join(dir, 'slides/bad.mdx');
    await writeFile(fixed, (await readFile(fixed, 'utf8')).replace('  lab: nope\n', ''));
    const again = await labs(['check', 'slides/bad.mdx'], dir);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('slides/bad.mdx:4:3 unknown key "sesions" in verify: — did you mean "sessions"?');
    expect(again.stderr).toMatch(/slides\/bad\.mdx:6:13 requires must be a list/);
    expect(again.stderr).toContain('nothing was run');
  });
});

describe('labs writing to a closed pipe', () => {
  it('stops quietly when its reader goes away', async () => {
    // The project's own labs: hundreds of lines, more than a pipe takes before `head` exits.
    const dir = ROOT;
    const { execa } = await import('execa');
    const r = await execa('bash', ['-c', `"${process.execPath}" "${join(import.meta.dirname, '../../bin/labs.js')}" list | head -1; echo "status \${PIPESTATUS[0]}"`], { cwd: dir, reject: false });
    expect(r.stderr).not.toMatch(/EPIPE/);
    expect(r.stdout).toMatch(/status 0$/);
  });
});
