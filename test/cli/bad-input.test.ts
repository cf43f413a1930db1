import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copyFixtures, labs } from './helpers.ts';

describe('bad input', () => {
  it('lists every problem with file:line:column and exits 2 before running anything', async () => {
    const dir = await copyFixtures('bad-input');
    for (const cmd of ['check', 'verify']) {
      const r = await labs([cmd, 'bad-input'], dir);
      expect(r.exitCode).toBe(2);
      const lines = r.all.split('\n');
      const at = (re: RegExp) => lines.find((l) => re.test(l));
      expect(at(/lab\.yaml:3:1 .*tiemout/)).toBeDefined();
      expect(at(/lab\.yaml:\d+:\d+ .*(regular expression|regex)/i)).toBeDefined();
      expect(at(/lab\.yaml:7:\d+ .*prompt/)).toBeDefined();
      expect(at(/01-bad\.mdx:3:\d+ .*tiemout.*timeout/)).toBeDefined();
      expect(at(/01-bad\.mdx:8:\d+ .*nowhere/)).toBeDefined();
      expect(at(/01-bad\.mdx:\d+:\d+ .*twice/)).toBeDefined();
      expect(at(/01-bad\.mdx:18:\d+ .*soon/)).toBeDefined();
      expect(r.all).toMatch(/nothing was run/);
    }
  });

  it('stops with exit 2 when a required tool is missing, naming what to install', async () => {
    const dir = await copyFixtures('wrong-exit');
    await writeFile(join(dir, 'wrong-exit/lab.yaml'), 'title: Needs a tool\ntarget: local\nrequires: [labs-no-such-tool]\n');
    const r = await labs(['verify', 'wrong-exit'], dir);
    expect(r.exitCode).toBe(2);
    // Located at its entry in requires:, with no made-up package name.
    expect(r.all).toMatch(/lab\.yaml:3:12 requires labs-no-such-tool, which is missing here/);
    expect(r.all).not.toMatch(/Debian package labs-no-such-tool/);
    expect(r.all).toMatch(/install the package that provides it/);
  });

  it('rejects a malformed lab.yaml with its location', async () => {
    const dir = await copyFixtures('wrong-exit');
    await writeFile(join(dir, 'wrong-exit/lab.yaml'), 'title: [unclosed\ntarget: local\n');
    const r = await labs(['check', 'wrong-exit'], dir);
    expect(r.exitCode).toBe(2);
    expect(r.all).toMatch(/lab\.yaml:\d+:\d+ /);
  });

  it('rejects an unknown option of the command line with exit 2', async () => {
    const dir = await copyFixtures('passing');
    const r = await labs(['verify', '--shard', '3/2', 'passing'], dir);
    expect(r.exitCode).toBe(2);
    expect(r.all).toMatch(/I\/N/);
  });
});
