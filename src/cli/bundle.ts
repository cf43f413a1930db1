import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { decode, encode } from '@jridgewell/sourcemap-codec';
import * as acorn from 'acorn';
import { BUNDLE_MAIN, BUNDLE_SCRIPT, SCRIPT_WRAPPER, cacheRoot, dependencyStamp, sourceStamp, statLine } from '../../bin/launch.js';

/** Options of {@link buildBundle}: where the bundle goes, as `findBundle` in bin/launch.js named it. */
export interface BuildBundleOptions {
  /** The project folder (src/, node_modules/). */
  root: string;
  /** Source stamp the bundle is built for; the build is thrown away if it changes meanwhile. */
  stamp: string;
  /** `<cache>/<stamp>`: the folder the bundle is installed in. */
  dir: string;
  /** A build lock younger than this is another run's build in progress. @default 120000 */
  lockStaleMs?: number;
  /** Bundles not used for this long are removed after a build. @default one day */
  pruneAfterMs?: number;
}

/**
 * Packages left out of the bundle and loaded from node_modules as usual, as the sources load
 * them: native code, and what only a rarely used option needs (JUnit's builder, about a sixth
 * of the bundle), which every start would otherwise read.
 */
export const EXTERNAL = ['@lydell/node-pty', 'junit-report-builder'];

/**
 * Builds the CLI bundle for the project as it is now and installs it where `findBundle` looks;
 * resolves to its main module, or undefined when another run is building it right now or a
 * source changed during the build (the caller then runs the sources). Safe to run from many
 * processes at once: one builds (under a lock file), the build goes to a private folder and is
 * installed by one rename, and a finished bundle is never changed or replaced.
 */
export async function buildBundle(o: BuildBundleOptions): Promise<string | undefined> {
  const root = cacheRoot(o.root);
  // Without esbuild there is no bundle: fail before taking the lock, so none is left behind.
  const esbuild = await import('esbuild');
  mkdirSync(root, { recursive: true });
  const lock = `${o.dir}.building`;
  if (!takeLock(lock, o.lockStaleMs ?? 120_000)) return undefined;
  const tmp = `${o.dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const seen = new Map<string, string>();
    const src = join(o.root, 'src') + sep;
    const result = await esbuild.build({
      absWorkingDir: o.root,
      entryPoints: [join(o.root, 'src/cli/main.ts')],
      bundle: true,
      // One CommonJS file. Node's own modules are then taken with require(), which hands over the
      // module object, where an ES module import builds a copy of all its exports and so reads
      // every lazy property (`process.allowedNodeEnvironmentFlags`, `fs.promises`, `util.diff`…),
      // loading and computing what they hide; and one file links faster than fifty chunks.
      // What only some commands need (`verify`'s runner, the JUnit writer) stays in the file but
      // is not run until its dynamic import() is reached.
      format: 'cjs',
      platform: 'node',
      target: `node${process.versions.node}`,
      outfile: join(tmp, BUNDLE_MAIN),
      external: EXTERNAL,
      minifyWhitespace: true,
      minifySyntax: true,
      sourcemap: 'linked',
      sourcesContent: false,
      metafile: true,
      logLevel: 'silent',
      // The sources are ES modules, which are always strict; so is their bundle.
      banner: { js: `"use strict";const ${RESOLVE}=(s)=>require("./${RESOLVER.file}").resolve(s);` },
      plugins: [
        {
          name: 'labs-sources',
          setup(build) {
            // Every file is noted as it was before it was read, to check afterwards and to stamp.
            build.onLoad({ filter: /\.ts$/ }, (args) => {
              if (!args.path.startsWith(src)) return undefined;
              seen.set(args.path, statLine(args.path));
              return { contents: rewriteImportMeta(readFileSync(args.path, 'utf8'), args.path), loader: 'ts' };
            });
            build.onLoad({ filter: /.*/ }, (args) => {
              if (args.namespace === 'file') seen.set(args.path, statLine(args.path));
              return undefined;
            });
          },
        },
      ],
    });
    // CommonJS has no import.meta: code that still reads it (a dependency, or a property of it not
    // rewritten above) would get an empty object, which esbuild names import_meta. No bundle then.
    const lost = /\bimport_meta\d*\b/.exec(readFileSync(join(tmp, BUNDLE_MAIN), 'utf8'));
    if (lost) throw new Error(`the bundle would lose import.meta (${lost[0]} in ${BUNDLE_MAIN})`);
    writeFileSync(join(tmp, RESOLVER.file), RESOLVER.text);
    finishBundle(join(tmp, BUNDLE_MAIN));
    writeFileSync(join(tmp, BUNDLE_SCRIPT), SCRIPT_WRAPPER[0] + readFileSync(join(tmp, BUNDLE_MAIN), 'utf8') + SCRIPT_WRAPPER[1]);
    const dependencies = [...seen.keys()].sort();
    // A file that changed while it was being bundled may be in the bundle in either state.
    if (sourceStamp(o.root) !== o.stamp || dependencies.some((f) => statLine(f) !== seen.get(f))) return undefined;
    if (!result.metafile.outputs[relative(o.root, join(tmp, BUNDLE_MAIN))]) throw new Error(`the bundle has no ${BUNDLE_MAIN}`);
    mkdirSync(o.dir, { recursive: true });
    const inputs = join(o.dir, 'inputs.json');
    writeFileSync(`${inputs}.${process.pid}`, JSON.stringify({ dependencies }));
    renameSync(`${inputs}.${process.pid}`, inputs);
    const final = join(o.dir, dependencyStamp(dependencies));
    try {
      renameSync(tmp, final);
    } catch (e) {
      // Another run installed the same bundle first: theirs is as good as ours.
      if (!isExisting(e)) throw e;
    }
    pruneBundles(root, o.dir, o.pruneAfterMs ?? 24 * 3600_000);
    // Bundles of earlier states of the same files (edited in place) are kept beside the new one.
    pruneBundles(o.dir, final, o.pruneAfterMs ?? 24 * 3600_000);
    return join(final, BUNDLE_MAIN);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    try {
      unlinkSync(lock);
    } catch {
      // Already gone (taken over as stale): nothing to release.
    }
    await esbuild.stop();
  }
}

/**
 * `import.meta.dirname`, `.filename` and `.url` of one source file as literals, so bundled code
 * still finds the files next to its source; `import.meta.resolve()` as a function of the bundle
 * that resolves the way an ES module does (see RESOLVER).
 */
export function rewriteImportMeta(code: string, file: string): string {
  return code
    .replaceAll('import.meta.dirname', JSON.stringify(dirname(file)))
    .replaceAll('import.meta.filename', JSON.stringify(file))
    .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(file).href))
    .replaceAll('import.meta.resolve(', `${RESOLVE}(`);
}

/** The bundle's stand-in for `import.meta.resolve` (defined in its first line). */
const RESOLVE = '__labsImportMetaResolve';

/**
 * A small ES module installed next to the bundle: CommonJS has no `import.meta.resolve`, and
 * `require.resolve` picks a package's CommonJS files (its `require` export conditions) where the
 * sources, as ES modules, get the `import` ones. It resolves from the bundle's folder, inside the
 * project's node_modules, so packages are found in the project's node_modules as from src/.
 */
const RESOLVER = { file: 'resolve.mjs', text: 'export const resolve = (specifier) => import.meta.resolve(specifier);\n' };

/**
 * The code with every character beyond ASCII inside a regular expression literal written as a
 * `\\u` escape, and where each one was (0-based line and UTF-16 column) with the columns it
 * added; undefined when any such character is elsewhere (a tagged template keeps it as written,
 * so it cannot be escaped), and the code is then left as it is. esbuild escapes these characters
 * in strings but not in regular expressions (`/… ([\\d,]+)/`), and one of them makes Node read
 * the whole bundle as two-byte text, which costs about 10 ms on every start. In a regular
 * expression, with or without the u flag, `\\uXXXX` (a surrogate pair for characters beyond
 * U+FFFF) matches what the character matched, and `\\…` (an escaped non-ASCII character, only
 * allowed without the u flag) is the character itself.
 */
export function asciiOnly(code: string): { code: string; edits: { line: number; column: number; added: number }[] } | undefined {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(code)) return { code, edits: [] };
  const regexes: [number, number][] = [];
  try {
    acorn.parse(code, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowReturnOutsideFunction: true,
      allowHashBang: true,
      onToken: (t) => {
        if (t.type === acorn.tokTypes.regexp) regexes.push([t.start, t.end]);
      },
    });
  } catch {
    return undefined;
  }
  const out: string[] = [];
  const edits: { line: number; column: number; added: number }[] = [];
  let from = 0;
  let line = 0;
  let lineStart = 0;
  let next = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
      continue;
    }
    if (c < 0x80) continue;
    while (next < regexes.length && regexes[next]![1] <= i) next++;
    const inRegex = next < regexes.length && regexes[next]![0] <= i;
    if (!inRegex) return undefined;
    let slashes = 0;
    while (i - slashes - 1 >= from && code.charCodeAt(i - slashes - 1) === 92) slashes++;
    const start = slashes % 2 === 1 ? i - 1 : i;
    out.push(code.slice(from, start), `\\u${c.toString(16).padStart(4, '0')}`);
    edits.push({ line, column: start - lineStart, added: 6 - (i + 1 - start) });
    from = i + 1;
  }
  out.push(code.slice(from));
  return { code: out.join(''), edits };
}

/**
 * Finishes a bundle file and its source map: the code is rewritten as ASCII (see asciiOnly) with
 * the map's columns moved to match, and the map names its sources by absolute file URL. esbuild
 * writes them relative to the folder the bundle is built in, which is not as deep as the one it
 * is installed in, so relative names would point outside the project.
 */
function finishBundle(file: string): void {
  const mapFile = `${file}.map`;
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { mappings: string; sources: string[] };
  map.sources = map.sources.map((s) => pathToFileURL(resolve(dirname(file), s)).href);
  const ascii = asciiOnly(readFileSync(file, 'utf8'));
  if (ascii && ascii.edits.length > 0) {
    const lines = decode(map.mappings);
    for (const e of [...ascii.edits].reverse()) {
      for (const seg of lines[e.line] ?? []) if (seg[0] > e.column) seg[0] += e.added;
    }
    map.mappings = encode(lines);
    writeFileSync(file, ascii.code);
  }
  writeFileSync(mapFile, JSON.stringify(map));
}

/** Creates the lock file; false when another live build holds it. A lock older than `staleMs` is a dead build's and is taken over. */
function takeLock(path: string, staleMs: number): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(path, 'wx'));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    try {
      if (Date.now() - statSync(path).mtimeMs < staleMs) return false;
      unlinkSync(path);
    } catch {
      // Released meanwhile: try again.
    }
  }
  return false;
}

function isExisting(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EEXIST' || code === 'ENOTEMPTY';
}

/** Removes the folders of `root` (bundles, leftovers of dead builds) not used for `maxAgeMs`, except `keep`. */
function pruneBundles(root: string, keep: string, maxAgeMs: number): void {
  const now = Date.now();
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (path === keep || name.endsWith('.building')) continue;
    try {
      const s = statSync(path);
      if (s.isDirectory() && now - s.mtimeMs > maxAgeMs) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another run meanwhile.
    }
  }
}
