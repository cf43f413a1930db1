import { execa } from 'execa';
import fc from 'fast-check';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_MAIN, BUNDLE_SCRIPT, SCRIPT_WRAPPER, cacheRoot, codeCacheKey, dependencyStamp, findBundle } from '../../bin/launch.js';
import { asciiOnly, buildBundle, rewriteImportMeta } from '../../src/cli/bundle.ts';
import { ROOT } from './helpers.ts';

// Start-up from a bundle must never run code other than the sources as they are now. These tests
// work on copies of the project (src/, bin/, manifests; node_modules linked package by package),
// so each has its own bundle cache.

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A copy of the project whose node_modules links to this one's packages, except `copied` (real copies, free to edit) and `without`. */
function copyProject(opts: { copied?: string[]; without?: string[] } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'labs-bundle-'));
  made.push(root);
  for (const f of ['src', 'bin', 'package.json', 'package-lock.json', 'tools.json']) cpSync(join(ROOT, f), join(root, f), { recursive: true });
  const nm = join(root, 'node_modules');
  mkdirSync(nm);
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name === '.cache' || opts.without?.includes(name)) continue;
    if (opts.copied?.includes(name)) cpSync(join(ROOT, 'node_modules', name), join(nm, name), { recursive: true, dereference: true });
    else if (name === '.package-lock.json') cpSync(join(ROOT, 'node_modules', name), join(nm, name));
    else symlinkSync(join(ROOT, 'node_modules', name), join(nm, name));
  }
  return root;
}

const LOCKS = mkdtempSync(join(tmpdir(), 'labs-bundle-locks-'));
made.push(LOCKS);

function run(root: string, args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [join(root, 'bin/labs.js'), ...args], { cwd: root, reject: false, all: true, env: { NO_COLOR: '1', LABS_LOCK_DIR: LOCKS, ...env } });
}

/** Installed bundles: `<source stamp>/<dependency stamp>` folders holding the bundle's main file. */
function bundles(root: string): string[] {
  const cache = join(root, 'node_modules/.cache/labs-cli');
  if (!existsSync(cache)) return [];
  const out: string[] = [];
  for (const s of readdirSync(cache)) {
    const dir = join(cache, s);
    if (!statSync(dir).isDirectory()) continue;
    for (const d of readdirSync(dir)) if (existsSync(join(dir, d, BUNDLE_MAIN))) out.push(`${s}/${d}`);
  }
  return out.sort();
}

/** Everything in the cache folder that is neither a bundle nor its inputs list (temp folders, locks). */
function leftovers(root: string): string[] {
  const cache = join(root, 'node_modules/.cache/labs-cli');
  return readdirSync(cache).filter((n) => n.includes('.tmp-') || n.endsWith('.building'));
}

const FIXTURE = join(ROOT, 'test/fixtures/cli/passing');

describe('start-up bundle', () => {
  it('is built on first use, reused after, and rebuilt when a source changes', async () => {
    const root = copyProject();
    const first = await run(root, ['check', FIXTURE]);
    expect(first.all).toMatch(/^ok: 1 lab/m);
    expect(first.exitCode).toBe(0);
    const built = bundles(root);
    expect(built).toHaveLength(1);
    expect(leftovers(root)).toEqual([]);
    // All ASCII, so Node reads it as one-byte text (see asciiOnly).
    expect(readFileSync(join(cacheRoot(root), built[0]!, BUNDLE_MAIN), 'latin1')).toMatch(/^[\x00-\x7f]*$/);
    // Its source map names files that exist: the project's sources and dependencies.
    const map = JSON.parse(readFileSync(join(cacheRoot(root), built[0]!, `${BUNDLE_MAIN}.map`), 'utf8')) as { sources: string[] };
    expect(map.sources).toContain(pathToFileURL(join(root, 'src/cli/main.ts')).href);
    expect(map.sources.filter((s) => !existsSync(fileURLToPath(s)))).toEqual([]);
    // acorn (loaded only for a page that holds JavaScript) and JUnit's builder stay in node_modules.
    expect(map.sources.filter((s) => /\/node_modules\/acorn(?:-jsx)?\//.test(s))).toEqual([]);
    expect(map.sources.filter((s) => s.includes('/junit-report-builder/'))).toEqual([]);
    // The script that start-up compiles is that very code, wrapped as Node would wrap it.
    const code = readFileSync(join(cacheRoot(root), built[0]!, BUNDLE_MAIN), 'utf8');
    expect(readFileSync(join(cacheRoot(root), built[0]!, BUNDLE_SCRIPT), 'utf8')).toBe(SCRIPT_WRAPPER[0] + code + SCRIPT_WRAPPER[1]);

    const again = await run(root, ['check', FIXTURE], { LABS_DEBUG: '1' });
    expect(again.all).toBe(first.all);
    expect(bundles(root)).toEqual(built);
    // It really ran from the bundle (a bundle that fails to load is reported under LABS_DEBUG).
    expect(again.all).not.toMatch(/running from the sources/);
    // That run found it through the stamps and kept their record: the next start only compares,
    // so `--help`, which hashes nothing of its own, never loads node:crypto.
    const probe = join(LOCKS, 'crypto-probe.cjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write('\\ncrypto loaded: ' + process.moduleLoadList.includes('NativeModule crypto') + '\\n'));");
    const help = await execa(process.execPath, ['-r', probe, join(root, 'bin/labs.js'), '--help'], { cwd: root, reject: false, all: true, env: { NO_COLOR: '1' } });
    expect(help.all).toMatch(/^Usage: labs/m);
    expect(help.all).toContain('crypto loaded: false');

    // A change in behaviour shows at once: the old bundle is not used.
    const main = join(root, 'src/cli/main.ts');
    const text = readFileSync(main, 'utf8');
    writeFileSync(main, text.replace('print(`ok: ${', 'print(`OK, changed: ${'));
    const changed = await run(root, ['check', FIXTURE]);
    expect(changed.all).toMatch(/^OK, changed: 1 lab/m);
    expect(bundles(root)).toHaveLength(2);
  }, 120_000);

  it('sees an edit that keeps the size and puts the modification time back', async () => {
    const root = copyProject();
    const main = join(root, 'src/cli/main.ts');
    const then = new Date('2026-01-01T00:00:00Z');
    utimesSync(main, then, then);
    expect((await run(root, ['check', FIXTURE])).all).toMatch(/^ok: 1 lab/m);
    const text = readFileSync(main, 'utf8');
    const edited = text.replace('print(`ok: ${', 'print(`ko: ${');
    expect(edited.length).toBe(text.length);
    writeFileSync(main, edited);
    utimesSync(main, then, then);
    expect(statSync(main).mtimeMs).toBe(then.getTime());
    expect((await run(root, ['check', FIXTURE])).all).toMatch(/^ko: 1 lab/m);
  }, 120_000);

  it('is rebuilt for a file added under src/, not for an edit of one it does not hold; older states are removed', async () => {
    const root = copyProject();
    expect((await run(root, ['check', FIXTURE])).exitCode).toBe(0);
    const [first] = bundles(root);
    // A component of the site: under src/, not part of the command.
    const component = join(root, 'src/site/components/CopyButton.astro');
    writeFileSync(component, `${readFileSync(component, 'utf8')}\n`);
    expect((await run(root, ['check', FIXTURE])).all).toMatch(/^ok: 1 lab/m);
    expect(bundles(root)).toEqual([first]);
    // A new file may change what an import finds: another bundle.
    writeFileSync(join(root, 'src/site/added.ts'), 'export const added = 1;\n');
    expect((await run(root, ['check', FIXTURE])).all).toMatch(/^ok: 1 lab/m);
    const second = bundles(root).filter((b) => b !== first);
    expect(second).toHaveLength(1);
    // A bundle of an earlier state of the same files, unused for a day, goes when the next is built.
    const old = new Date(Date.now() - 2 * 24 * 3600_000);
    utimesSync(join(cacheRoot(root), second[0]!), old, old);
    const main = join(root, 'src/cli/main.ts');
    writeFileSync(main, readFileSync(main, 'utf8').replace('print(`ok: ${', 'print(`fine: ${'));
    expect((await run(root, ['check', FIXTURE])).all).toMatch(/^fine: 1 lab/m);
    const now = bundles(root);
    expect(now).toContain(first);
    expect(now).not.toContain(second[0]);
    expect(now.filter((b) => b.split('/')[0] === second[0]!.split('/')[0])).toHaveLength(1);
  }, 120_000);

  it('is rebuilt when a file of a dependency in it changes', async () => {
    const root = copyProject({ copied: ['commander'] });
    const help = await run(root, ['--help']);
    expect(help.all).toMatch(/^Usage: labs/m);
    const lib = join(root, 'node_modules/commander/lib/help.js');
    const text = readFileSync(lib, 'utf8');
    expect(text).toContain("styleTitle('Usage:')");
    writeFileSync(lib, text.replace("styleTitle('Usage:')", "styleTitle('USAGE, patched:')"));
    const patched = await run(root, ['--help']);
    expect(patched.all).toMatch(/^USAGE, patched: labs/m);
    expect(bundles(root)).toHaveLength(2);
  }, 120_000);

  it('builds once when many runs start together, and every run works', async () => {
    const root = copyProject();
    const runs = await Promise.all(Array.from({ length: 6 }, () => run(root, ['check', FIXTURE])));
    for (const r of runs) {
      expect(r.all).toMatch(/^ok: 1 lab/m);
      expect(r.exitCode).toBe(0);
    }
    expect(bundles(root)).toHaveLength(1);
    expect(leftovers(root)).toEqual([]);
  }, 120_000);

  it('runs the sources when no bundle can be built, and with LABS_FROM_SOURCE=1', async () => {
    const root = copyProject({ without: ['esbuild'] });
    const r = await run(root, ['check', FIXTURE]);
    expect(r.all).toMatch(/^ok: 1 lab/m);
    expect(r.exitCode).toBe(0);
    expect(bundles(root)).toEqual([]);
    // Nothing is left that would keep later runs from building once esbuild is back.
    const cache = join(root, 'node_modules/.cache/labs-cli');
    expect(existsSync(cache) ? leftovers(root) : []).toEqual([]);

    const other = copyProject();
    const s = await run(other, ['check', FIXTURE], { LABS_FROM_SOURCE: '1' });
    expect(s.all).toMatch(/^ok: 1 lab/m);
    expect(bundles(other)).toEqual([]);
  }, 120_000);

  it('is not built when code would read an import.meta the bundle cannot give, and the sources run', async () => {
    const root = copyProject();
    const main = join(root, 'src/cli/main.ts');
    writeFileSync(main, `${readFileSync(main, 'utf8')}\nexport const startedDirectly = import.meta.main;\n`);
    const r = await run(root, ['check', FIXTURE], { LABS_DEBUG: '1' });
    expect(r.all).toMatch(/^ok: 1 lab/m);
    expect(r.all).toMatch(/no bundle, running from the sources: Error: the bundle would lose import\.meta/);
    expect(bundles(root)).toEqual([]);
    expect(leftovers(root)).toEqual([]);
  }, 120_000);

  it('keeps a code cache per command, made after its first run; a damaged one changes nothing and is replaced', async () => {
    const root = copyProject();
    const first = await run(root, ['check', FIXTURE]);
    expect(first.exitCode).toBe(0);
    const [bundle] = bundles(root);
    const cache = join(cacheRoot(root), bundle!, `${BUNDLE_MAIN}.check.v8cache`);
    expect(existsSync(cache)).toBe(true);
    expect(existsSync(join(cacheRoot(root), bundle!, `${BUNDLE_MAIN}.list.v8cache`))).toBe(false);
    const made = statSync(cache).mtimeMs;
    // Used, not rewritten, by the next run of the same command.
    expect((await run(root, ['check', FIXTURE])).all).toBe(first.all);
    expect(statSync(cache).mtimeMs).toBe(made);
    writeFileSync(cache, 'not a code cache');
    const damaged = await run(root, ['check', FIXTURE]);
    expect(damaged.all).toBe(first.all);
    expect(damaged.exitCode).toBe(0);
    expect(readFileSync(cache, 'utf8')).not.toBe('not a code cache');
    expect(readdirSync(join(cacheRoot(root), bundle!)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 120_000);

  it('starts `--help` without the lab parsers, and a lab without the deck loader', async () => {
    // The modules the sources load, as Node loads them (inside the bundle, a dynamic import is
    // likewise a module set up only when reached).
    const hook = join(LOCKS, 'loaded.mjs');
    writeFileSync(
      hook,
      "import { registerHooks } from 'node:module'; const urls = new Set(); registerHooks({ load(url, c, next) { urls.add(url); return next(url, c); } }); process.on('exit', () => process.stderr.write('\\nloaded: ' + JSON.stringify([...urls]) + '\\n'));",
    );
    const loaded = async (args: string[]) => {
      const r = await execa(process.execPath, ['--import', pathToFileURL(hook).href, join(ROOT, 'bin/labs.js'), ...args], { cwd: ROOT, reject: false, all: true, env: { NO_COLOR: '1', LABS_LOCK_DIR: LOCKS, LABS_FROM_SOURCE: '1' } });
      expect(r.exitCode).toBe(0);
      return JSON.parse(/^loaded: (.*)$/m.exec(r.all)![1]!) as string[];
    };
    const parsers = /\/src\/parse\/|\/node_modules\/(?:yaml|zod|micromark|acorn)/;
    expect((await loaded(['--help'])).filter((u) => parsers.test(u))).toEqual([]);
    // The same probe sees them where they are used; the deck loader only where a deck may be.
    const check = await loaded(['check', FIXTURE]);
    expect(check.filter((u) => u.endsWith('/src/parse/load-lab.ts'))).toHaveLength(1);
    expect(check.filter((u) => /\/src\/(?:parse\/load-deck|slides\/deck-meta)\.ts$/.test(u))).toEqual([]);
    expect((await loaded(['check', join(ROOT, 'test/fixtures/cli/passing/01-basics.mdx')])).filter((u) => u.endsWith('/src/parse/load-deck.ts'))).toHaveLength(1);
  }, 120_000);

  it('gives the same results as the sources: passes, drifts, reports and exit statuses', async () => {
    const root = copyProject();
    const drifted = join(ROOT, 'test/fixtures/cli/drifted');
    // A manifest with misspelt fields: checking it loads Kubernetes models by name at run time.
    const manifests = join(root, 'manifest-lab');
    mkdirSync(manifests);
    writeFileSync(join(manifests, 'lab.yaml'), 'title: Manifests\ntarget: local\n');
    cpSync(join(ROOT, 'test/fixtures/manifests/typo/step.mdx'), join(manifests, '01-step.mdx'));
    const outcomes = async (env: Record<string, string>) => {
      const out: unknown[] = [];
      for (const args of [['check', FIXTURE], ['check', manifests], ['list', drifted], ['verify', FIXTURE, '--no-record'], ['verify', drifted, '--no-record'], ['verify', '--bogus']]) {
        const report = join(root, `report-${out.length}.json`);
        const r = await run(root, args[0] === 'verify' && args[1] !== '--bogus' ? [...args, '--report', `json=${report}`] : args, env);
        // Durations and times differ between any two runs.
        const text = r.all.replace(/\b\d+(?:\.\d+)?m?s\b/g, 'N');
        const json = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : undefined;
        rmSync(report, { force: true });
        const blocks = (json?.blocks as { id: string; status: string; reason?: string; durationMs?: number }[] | undefined)?.map(({ durationMs: _d, ...b }) => b);
        out.push({ exit: r.exitCode, text, summary: json?.summary, blocks });
      }
      return out;
    };
    const bundled = await outcomes({});
    expect(bundles(root)).toHaveLength(1);
    // The bundle keeps the pages it read beside itself; runs that take them give the same.
    expect(readdirSync(join(cacheRoot(root), bundles(root)[0]!, 'pages')).length).toBeGreaterThan(0);
    expect(await outcomes({})).toEqual(bundled);
    const fromSource = await outcomes({ LABS_FROM_SOURCE: '1' });
    expect(bundled).toEqual(fromSource);
    // And the runs did what they should, so the comparison is not between two broken runs.
    expect(bundled.map((o) => (o as { exit: number }).exit)).toEqual([0, 2, 0, 0, 1, 2]);
    expect((bundled[1] as { text: string }).text).toMatch(/did you mean "replicas"/);
    // A JUnit report, whose builder the bundle loads from node_modules, is the same too.
    const junit = async (env: Record<string, string>) => {
      const file = join(root, 'report.xml');
      expect((await run(root, ['verify', drifted, '--no-record', '--report', `junit=${file}`], env)).exitCode).toBe(1);
      return readFileSync(file, 'utf8').replace(/\b(time|timestamp)="[^"]*"/g, '$1=""');
    };
    const xml = await junit({});
    expect(xml).toMatch(/<failure/);
    expect(xml).toBe(await junit({ LABS_FROM_SOURCE: '1' }));
  }, 180_000);
});

describe('findBundle', () => {
  it('names another bundle when the TypeScript settings esbuild reads change', () => {
    const root = copyProject();
    const config = join(root, 'tsconfig.json');
    writeFileSync(config, readFileSync(join(ROOT, 'tsconfig.json')));
    const before = findBundle(root).stamp;
    expect(findBundle(root).stamp).toBe(before);
    writeFileSync(config, readFileSync(config, 'utf8').replace('"verbatimModuleSyntax": true', '"verbatimModuleSyntax": false'));
    expect(findBundle(root).stamp).not.toBe(before);
  });

  // A start compares the project with the record of the last bundle found through the stamps
  // instead of hashing it. Stand-in bundles (an empty main file where findBundle looks) keep these
  // tests free of esbuild: what is checked is which bundle, if any, a start would take.
  const LAST = 'last-found.json';
  /** Installs a stand-in bundle for the project as it is now, built from `dependencies`; returns its entry. */
  const standIn = (root: string, dependencies: string[]) => {
    const { dir } = findBundle(root);
    mkdirSync(join(dir, dependencyStamp(dependencies)), { recursive: true });
    writeFileSync(join(dir, 'inputs.json'), JSON.stringify({ dependencies }));
    const entry = join(dir, dependencyStamp(dependencies), BUNDLE_MAIN);
    writeFileSync(entry, '');
    return entry;
  };
  /** A project with a stand-in bundle that the last start found (so its record is written). */
  const primed = () => {
    const root = copyProject({ copied: ['commander'] });
    const dependencies = [join(root, 'src/cli/main.ts'), join(root, 'src/parse/load-lab.ts'), join(root, 'node_modules/commander/lib/help.js')].sort();
    // A whole second, so an edit can put it back exactly.
    const then = new Date('2026-01-01T00:00:00Z');
    utimesSync(join(root, 'src/parse/load-lab.ts'), then, then);
    const entry = standIn(root, dependencies);
    expect(existsSync(join(cacheRoot(root), LAST))).toBe(false);
    expect(findBundle(root).entry).toBe(entry);
    expect(existsSync(join(cacheRoot(root), LAST))).toBe(true);
    return { root, entry };
  };

  it('takes the bundle of the last start from its record while nothing it was found by has changed', () => {
    const { root, entry } = primed();
    const before = findBundle(root);
    expect(before.entry).toBe(entry);
    // Without the stamps' own files, only the record can give the bundle: it is what answered.
    rmSync(join(dirname(entry), '..', 'inputs.json'));
    expect(findBundle(root)).toEqual(before);
    // A record that does not parse, or of another project, is not used.
    writeFileSync(join(cacheRoot(root), LAST), '{"head":');
    expect(findBundle(root).entry).toBeUndefined();
  });

  const edit = (file: string, change: (text: string) => string) => writeFileSync(file, change(readFileSync(file, 'utf8')));
  const changes: [string, (root: string) => void][] = [
    [
      'a source it holds edited to the same size, its modification time put back',
      (root) => {
        const file = join(root, 'src/parse/load-lab.ts');
        const then = statSync(file);
        edit(file, (t) => t.replace('export', 'EXPORT'));
        utimesSync(file, then.mtime, then.mtime);
        expect(statSync(file).size).toBe(then.size);
        expect(statSync(file).mtimeMs).toBe(then.mtimeMs);
      },
    ],
    ['a file of a dependency it holds edited', (root) => edit(join(root, 'node_modules/commander/lib/help.js'), (t) => `${t}\n`)],
    ['a file added under src/', (root) => writeFileSync(join(root, 'src/site/added.ts'), 'export const added = 1;\n')],
    ['a file under src/ removed', (root) => rmSync(join(root, 'src/site/components/CopyButton.astro'))],
    ['a file under src/ renamed', (root) => renameSync(join(root, 'src/site/components/CopyButton.astro'), join(root, 'src/site/components/CopyButton2.astro'))],
    ['package.json edited', (root) => edit(join(root, 'package.json'), (t) => `${t}\n`)],
    ['a lockfile replaced by an equal copy', (root) => cpSync(join(ROOT, 'package-lock.json'), join(root, 'package-lock.json'))],
    ['tsconfig.json added', (root) => cpSync(join(ROOT, 'tsconfig.json'), join(root, 'tsconfig.json'))],
    ['bin/labs.js edited', (root) => edit(join(root, 'bin/labs.js'), (t) => `${t}\n`)],
  ];
  for (const [what, change] of changes) {
    it(`gives what the stamps give, not the recorded bundle, after ${what}`, () => {
      const { root, entry } = primed();
      change(root);
      const found = findBundle(root);
      expect(found.entry).toBeUndefined();
      rmSync(join(cacheRoot(root), LAST));
      expect(found).toEqual(findBundle(root));
      expect(entry).toMatch(/main\.cjs$/);
    });
  }

  it('does not give a recorded bundle that was removed meanwhile', () => {
    const { root, entry } = primed();
    rmSync(dirname(entry), { recursive: true });
    expect(findBundle(root).entry).toBeUndefined();
  });

  it('marks the bundle it gives as in use, writing the mark again only once it is an hour old', () => {
    const { root, entry } = primed();
    const folders = [dirname(dirname(entry)), dirname(entry)];
    const mtimes = () => folders.map((f) => statSync(f).mtimeMs);
    for (const [age, refreshed] of [
      [10 * 60_000, false],
      [2 * 3600_000, true],
      [2 * 24 * 3600_000, true],
    ] as const) {
      const then = new Date(Date.now() - age);
      for (const f of folders) utimesSync(f, then, then);
      const before = mtimes();
      const start = Date.now();
      expect(findBundle(root).entry).toBe(entry);
      for (const [i, t] of mtimes().entries()) {
        if (refreshed) expect(t).toBeGreaterThanOrEqual(start - 1000);
        else expect(t).toBe(before[i]);
      }
    }
  });
});

describe('buildBundle', () => {
  it('leaves the build to a run that is building, takes over a dead build, and keeps nothing built from changing sources', async () => {
    const root = copyProject();
    const { stamp, dir } = findBundle(root);
    mkdirSync(cacheRoot(root), { recursive: true });
    const lock = `${dir}.building`;
    writeFileSync(lock, '');
    expect(await buildBundle({ root, stamp, dir })).toBeUndefined();
    expect(bundles(root)).toEqual([]);

    const old = new Date(Date.now() - 3600_000);
    utimesSync(lock, old, old);
    // A stamp that is not the sources' any more: what was built is thrown away.
    expect(await buildBundle({ root, stamp: `${stamp}-before-an-edit`, dir })).toBeUndefined();
    expect(bundles(root)).toEqual([]);
    expect(existsSync(lock)).toBe(false);

    const entry = await buildBundle({ root, stamp, dir });
    expect(entry).toMatch(/main\.cjs$/);
    expect(findBundle(root).entry).toBe(entry);
    expect(leftovers(root)).toEqual([]);
  }, 120_000);
});

describe('codeCacheKey', () => {
  it('names the cache after the command, and every other first argument alike', () => {
    expect(codeCacheKey('verify')).toBe('verify');
    expect(codeCacheKey('check')).toBe('check');
    for (const arg of [undefined, '--help', '../x', 'Verify', 'a'.repeat(17)]) expect(codeCacheKey(arg)).toBe('other');
  });
});

describe('rewriteImportMeta', () => {
  it('makes each source keep its own folder, file and URL, and resolve as an ES module', () => {
    const code = 'const a = import.meta.dirname; const b = new URL("./x", import.meta.url); const c = import.meta.filename; import.meta.resolve("y");';
    expect(rewriteImportMeta(code, '/p/src/run/tools.ts')).toBe('const a = "/p/src/run"; const b = new URL("./x", "file:///p/src/run/tools.ts"); const c = "/p/src/run/tools.ts"; __labsImportMetaResolve("y");');
  });

  it('escapes paths that need it', () => {
    expect(rewriteImportMeta('import.meta.dirname', '/p/a "b"/c.ts')).toBe('"/p/a \\"b\\""');
    expect(rewriteImportMeta('import.meta.url', '/p/a b/c.ts')).toBe('"file:///p/a%20b/c.ts"');
  });
});

describe('asciiOnly', () => {
  // Pieces of regular expressions with characters beyond ASCII: plain, astral, in classes and
  // ranges, escaped (allowed without the u flag only), quantified.
  const piece = fc.constantFrom('a', 'é', 'ü', '…', '😀', '.', 'é+', '[é-ü]', '[😀x]', '(?:…|b)', '\\é', '\\\\é');
  const sample = fc.constantFrom('a', 'é', 'ü', '…', '😀', 'x', 'b', '\\', 'ée', '\ud83d');

  it('escapes regular expressions without changing what they match (property)', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.array(sample, { maxLength: 6 }), (pieces, unicode, extra) => {
        const source = (unicode ? pieces.filter((p) => p !== '\\é') : pieces).join('') || 'a';
        const code = `module.exports = [/${source}/${unicode ? 'u' : ''}, /x/g];\n// plain ASCII after it\n`;
        const out = asciiOnly(code);
        expect(out).toBeDefined();
        expect(out!.code).toMatch(/^[\x00-\x7f]*$/);
        const load = (c: string) => {
          const module = { exports: [] as RegExp[] };
          new Function('module', c)(module);
          return module.exports[0]!;
        };
        const before = load(code);
        const after = load(out!.code);
        expect(after.flags).toBe(before.flags);
        for (const s of [source, pieces.join(''), extra.join(''), ...extra]) expect([s, after.test(s)]).toEqual([s, before.test(s)]);
      }),
      { numRuns: 500 },
    );
  });

  it('says where each escape went, for the source map', () => {
    const out = asciiOnly('let a = 1;\nlet r = /é\\ü/, s = /x/;\n')!;
    expect(out.code).toBe('let a = 1;\nlet r = /\\u00e9\\u00fc/, s = /x/;\n');
    expect(out.edits).toEqual([
      { line: 1, column: 9, added: 5 },
      { line: 1, column: 10, added: 4 },
    ]);
  });

  it('leaves code alone when such a character is anywhere else (a tagged template keeps it as written)', () => {
    expect(asciiOnly('const a = String.raw`é`, r = /ü/;')).toBeUndefined();
    expect(asciiOnly('const r = /ü/; // é')).toBeUndefined();
    expect(asciiOnly('const a = "plain";')).toEqual({ code: 'const a = "plain";', edits: [] });
  });
});
