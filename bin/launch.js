// Start-up of the `labs` command: loads the CLI from a bundle built for this exact state of the
// project (one large file loads far faster than the ~400 modules of the sources), or from
// the sources when there is no bundle and none can be built.
//
// A bundle is never stale: it lives in node_modules/.cache/labs-cli/<source stamp>/<dependency
// stamp>/, where the source stamp covers every file under src/ (path, inode, size, mtime and
// ctime — ctime cannot be set back by hand), the manifests and lockfiles, this file, the Node
// version and the project's path, and the dependency stamp covers every file of node_modules
// that went into the bundle. Any change to any of them names another folder, which is built on
// first use. Plain JavaScript so that checking the stamps loads nothing else.
//
// Node's own modules are taken with process.getBuiltinModule: an ES module `import` of one makes
// Node copy all its exports, reading every lazy property and loading what they hide.
const { createHash } = process.getBuiltinModule('node:crypto');
const { readdirSync, readFileSync, statSync, utimesSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');
const { fileURLToPath } = process.getBuiltinModule('node:url');
const { createRequire } = process.getBuiltinModule('node:module');

/** The project folder (the one holding src/ and node_modules/). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/** Changed whenever the way bundles are built changes, so older bundles are not reused. */
export const BUNDLE_FORMAT = '2';

/** The bundle's file, in each bundle folder: one CommonJS file (see src/cli/bundle.ts). */
export const BUNDLE_MAIN = 'main.cjs';

/** Files outside src/ whose change must rebuild the bundle. */
const PROJECT_FILES = ['package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'bin/launch.js', 'bin/labs.js'];

/** Where the bundles of a project live. */
export function cacheRoot(root = PROJECT_ROOT) {
  return join(root, 'node_modules', '.cache', 'labs-cli');
}

/** One line naming a file's exact state; a missing file has its own line. */
export function statLine(path) {
  // Times in milliseconds as doubles keep a fraction of a microsecond: as exact as needed.
  const s = statSync(path, { throwIfNoEntry: false });
  return s ? `${path}\0${s.ino}\0${s.size}\0${s.mtimeMs}\0${s.ctimeMs}\n` : `${path}\0missing\n`;
}

/** Stamp of everything a bundle is built from except the dependencies' own files. */
export function sourceStamp(root = PROJECT_ROOT) {
  const lines = [`${BUNDLE_FORMAT}\0${process.version}\0${process.arch}\0${root}\n`];
  for (const f of PROJECT_FILES) lines.push(statLine(join(root, f)));
  // Walked folder by folder: several times faster than readdirSync's own `recursive` option.
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${dir}/${e.name}`);
      else files.push(`${dir}/${e.name}`);
    }
  };
  walk(join(root, 'src'));
  for (const f of files.sort()) lines.push(statLine(f));
  return createHash('sha256').update(lines.join('')).digest('hex').slice(0, 32);
}

/** Stamp of the dependency files a bundle was built from (a sorted list of absolute paths). */
export function dependencyStamp(files) {
  return createHash('sha256').update(files.map(statLine).join('')).digest('hex').slice(0, 32);
}

/**
 * The bundle for the project as it is now: `entry` is its main module when one was built,
 * undefined when it must be built (into `dir`, for `stamp`).
 */
export function findBundle(root = PROJECT_ROOT) {
  const stamp = sourceStamp(root);
  const dir = join(cacheRoot(root), stamp);
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(join(dir, 'inputs.json'), 'utf8'));
  } catch {
    return { stamp, dir, entry: undefined };
  }
  if (!Array.isArray(inputs?.dependencies)) return { stamp, dir, entry: undefined };
  const entry = join(dir, dependencyStamp(inputs.dependencies), BUNDLE_MAIN);
  try {
    statSync(entry);
  } catch {
    return { stamp, dir, entry: undefined };
  }
  // Marks the bundle as in use: bundles unused for a day are removed when a new one is built.
  try {
    const now = new Date();
    utimesSync(dir, now, now);
  } catch {
    // A read-only cache is still usable.
  }
  return { stamp, dir, entry };
}

/**
 * Loads the CLI's main module: the bundle (built now when missing), else the sources.
 * `LABS_FROM_SOURCE=1` always loads the sources.
 */
export async function loadMain(env = process.env) {
  const fromSource = () => import('../src/cli/main.ts');
  if (env.LABS_FROM_SOURCE === '1') return fromSource();
  const debug = (what, e) => {
    if (env.LABS_DEBUG) process.stderr.write(`labs: ${what}, running from the sources: ${e instanceof Error ? e.stack : String(e)}\n`);
  };
  let entry;
  try {
    const found = findBundle();
    entry = found.entry;
    if (!entry) {
      const { buildBundle } = await import('../src/cli/bundle.ts');
      entry = await buildBundle({ root: PROJECT_ROOT, stamp: found.stamp, dir: found.dir });
    }
  } catch (e) {
    debug('no bundle', e);
    return fromSource();
  }
  if (!entry) return fromSource();
  if (env.LABS_DEBUG) process.setSourceMapsEnabled(true);
  try {
    return createRequire(import.meta.url)(entry);
  } catch (e) {
    debug(`the bundle ${entry} did not load`, e);
    return fromSource();
  }
}
