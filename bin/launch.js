// Start-up of the `labs` command: loads the CLI from a bundle built for this exact state of the
// project (one large file loads far faster than the ~400 modules of the sources), or from
// the sources when there is no bundle and none can be built.
//
// A bundle is never stale: it lives in node_modules/.cache/labs-cli/<source stamp>/<inputs
// stamp>/. The source stamp covers the names of all files under src/ (a file added, removed or
// renamed), the manifests, lockfiles and tsconfig.json, this file, the Node version and the
// project's path; the inputs stamp covers the exact state (path, inode, size, mtime and ctime —
// ctime cannot be set back by hand) of every file that went into the bundle, its sources under
// src/ and the files of node_modules alike. Any change to any of them names another folder,
// which is built on first use; a file under src/ that the bundle does not hold (the site's
// pages) can change freely. The start that finds a bundle through the stamps keeps what they
// were made of beside it (last-found.json), so the next start with all of it unchanged takes
// the same bundle after comparing, without hashing.
// Plain CommonJS so that checking the stamps loads nothing else (see labs.js); the sources it
// falls back to are ES modules, loaded with import().
//
// Node's own modules are taken with process.getBuiltinModule: an ES module `import` of one makes
// Node copy all its exports, reading every lazy property and loading what they hide.
const { readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } = process.getBuiltinModule('node:fs');
const { dirname, join } = process.getBuiltinModule('node:path');
const { createRequire } = process.getBuiltinModule('node:module');
const vm = process.getBuiltinModule('node:vm');

/** The project folder (the one holding src/ and node_modules/). */
const PROJECT_ROOT = dirname(__dirname);

/** Changed whenever the way bundles are built changes, so older bundles are not reused. */
const BUNDLE_FORMAT = '4';

/** The bundle's file, in each bundle folder: one CommonJS file (see src/cli/bundle.ts). */
const BUNDLE_MAIN = 'main.cjs';

/**
 * The same code inside the function Node's CommonJS loader would wrap it in, kept beside it as a
 * script to compile as it is: built in memory on every start, the wrapped copy cost one more
 * full-size string, and on this kind of machine touching fresh memory is a large part of start-up.
 */
const BUNDLE_SCRIPT = 'main.script.js';

/** What BUNDLE_SCRIPT has before and after the code of BUNDLE_MAIN. */
const SCRIPT_WRAPPER = ['(function (exports, require, module, __filename, __dirname) {', '\n})'];

/**
 * Files outside src/ whose change must rebuild the bundle (esbuild reads tsconfig.json: its
 * target and `verbatimModuleSyntax` change the code it writes).
 */
const PROJECT_FILES = ['package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'tsconfig.json', 'bin/launch.js', 'bin/labs.js'];

/** Where the bundles of a project live. */
function cacheRoot(root = PROJECT_ROOT) {
  return join(root, 'node_modules', '.cache', 'labs-cli');
}

/** One line naming a file's exact state; a missing file has its own line. */
function statLine(path) {
  return lineOf(path, statSync(path, STAT_OPTIONS));
}
const STAT_OPTIONS = { throwIfNoEntry: false };

/** The Stats of each file (undefined: missing). */
function statsOf(files) {
  return files.map((f) => statSync(f, STAT_OPTIONS));
}

/** The `statLine`s of files whose Stats were taken already, as one text. */
function linesOf(files, stats) {
  return files.map((f, i) => lineOf(f, stats[i])).join('');
}

/** The line of `statLine` for a file whose Stats (undefined: missing) were taken already. */
function lineOf(path, s) {
  // Times in milliseconds as doubles keep a fraction of a microsecond: as exact as needed.
  return s ? `${path}\0${s.ino}\0${s.size}\0${s.mtimeMs}\0${s.ctimeMs}\n` : `${path}\0missing\n`;
}

/**
 * The first 32 hex digits of the text's SHA-256. A stamp hashed in JavaScript instead, to spare
 * loading node:crypto, cost more than the load on a cold start (interpreted 32-bit arithmetic
 * allocates), and the commands that read labs load node:crypto for their own hashes anyway.
 */
function sha256(text) {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * Stamp of the project as a whole: the names of the files under src/ and the state of the files
 * outside it that decide how the bundle is built. What is in the files the bundle is built from
 * is in the inputs stamp (a file is looked at once a start, not twice).
 */
function sourceStamp(root = PROJECT_ROOT) {
  const source = sourceParts(root);
  return sourceStampOf(source, statsOf(source.project));
}

/** The source stamp of `sourceParts`, with the Stats of its project files. */
function sourceStampOf(source, stats) {
  return sha256(source.head + linesOf(source.project, stats) + source.names);
}

/**
 * What the source stamp is made of: a line naming the bundle format, Node and the project's
 * folder; the project files outside src/ (whose states go in); the names of all files under src/.
 */
function sourceParts(root) {
  const head = `${BUNDLE_FORMAT}\0${process.version}\0${process.arch}\0${root}\n`;
  // Walked folder by folder: several times faster than readdirSync's own `recursive` option.
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${dir}/${e.name}`);
      else files.push(`${dir}/${e.name}\n`);
    }
  };
  walk(join(root, 'src'));
  return { head, project: PROJECT_FILES.map((f) => join(root, f)), names: files.sort().join('') };
}

/** Stamp of the files a bundle was built from (a sorted list of absolute paths): sources and dependencies. */
function dependencyStamp(files, stats = statsOf(files)) {
  return sha256(linesOf(files, stats));
}

/**
 * The record of the bundle the last start found through the stamps, with everything the stamps
 * were made of: the head line and the names under src/ as text, and the state (inode, size,
 * modification and change time) of each project file and each file the bundle holds, as numbers.
 * A start whose project gives exactly all of these again takes that bundle without hashing
 * anything (and without loading node:crypto): equal parts make equal stamps, so this is the
 * bundle the stamps would name. Anything else, or no record, goes the long way, which writes
 * the record again.
 */
const LAST_FOUND = 'last-found.json';

/** A file's state as four numbers (all -1: missing), in `out` from `at`. */
function putState(out, at, s) {
  if (s) {
    out[at] = s.ino;
    out[at + 1] = s.size;
    out[at + 2] = s.mtimeMs;
    out[at + 3] = s.ctimeMs;
  } else out[at] = out[at + 1] = out[at + 2] = out[at + 3] = -1;
}

/** The bundle of the record of the last start, when every part of its stamps is as it was; else undefined. */
function lastFound(root, source) {
  let last;
  try {
    last = JSON.parse(readFileSync(join(cacheRoot(root), LAST_FOUND), 'utf8'));
  } catch {
    return undefined;
  }
  if (last?.head !== source.head || last.names !== source.names || typeof last.entry !== 'string' || typeof last.dir !== 'string' || typeof last.stamp !== 'string') return undefined;
  const { files, state } = last;
  if (!Array.isArray(files) || !Array.isArray(state) || state.length !== files.length * 4) return undefined;
  // The project files first, in the order of PROJECT_FILES: the same files, or another record.
  for (let i = 0; i < source.project.length; i++) if (files[i] !== source.project[i]) return undefined;
  const now = [0, 0, 0, 0];
  for (let i = 0; i < files.length; i++) {
    putState(now, 0, statSync(files[i], STAT_OPTIONS));
    const at = i * 4;
    if (now[0] !== state[at] || now[1] !== state[at + 1] || now[2] !== state[at + 2] || now[3] !== state[at + 3]) return undefined;
  }
  return last;
}

/** Writes the record of a bundle found through its stamps; a cache that cannot be written keeps none. */
function writeLastFound(root, record) {
  const file = join(cacheRoot(root), LAST_FOUND);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(record));
    renameSync(tmp, file);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // Never written.
    }
  }
}

/**
 * The bundle for the project as it is now: `entry` is its main module when one was built,
 * undefined when it must be built (into `dir`, for `stamp`).
 */
function findBundle(root = PROJECT_ROOT) {
  const source = sourceParts(root);
  const last = lastFound(root, source);
  if (last !== undefined && isFile(last.entry)) {
    markUsed(last.dir, last.entry);
    return { stamp: last.stamp, dir: last.dir, entry: last.entry };
  }
  // Each file is looked at once: its state goes into the stamp and into the record.
  const projectStats = statsOf(source.project);
  const stamp = sourceStampOf(source, projectStats);
  const dir = join(cacheRoot(root), stamp);
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(join(dir, 'inputs.json'), 'utf8'));
  } catch {
    return { stamp, dir, entry: undefined };
  }
  if (!Array.isArray(inputs?.dependencies)) return { stamp, dir, entry: undefined };
  const dependencies = inputs.dependencies;
  const dependencyStats = statsOf(dependencies);
  const entry = join(dir, dependencyStamp(dependencies, dependencyStats), BUNDLE_MAIN);
  if (!isFile(entry)) return { stamp, dir, entry: undefined };
  const files = [...source.project, ...dependencies];
  const state = new Array(files.length * 4);
  [...projectStats, ...dependencyStats].forEach((s, i) => putState(state, i * 4, s));
  writeLastFound(root, { head: source.head, names: source.names, files, state, stamp, dir, entry });
  markUsed(dir, entry);
  return { stamp, dir, entry };
}

function isFile(path) {
  return statSync(path, STAT_OPTIONS)?.isFile() === true;
}

/** Marks a bundle as in use: bundles unused for a day are removed when a new one is built. */
function markUsed(dir, entry) {
  const now = Date.now();
  try {
    for (const d of [dir, dirname(entry)]) {
      // A mark less than an hour old still says "in use" well within the day: looking at it
      // costs less than writing the times again (a metadata write each, on every start).
      const s = statSync(d, STAT_OPTIONS);
      if (s !== undefined && s.mtimeMs <= now && now - s.mtimeMs < MARK_FRESH_MS) continue;
      const time = new Date(now);
      utimesSync(d, time, time);
    }
  } catch {
    // A read-only cache is still usable.
  }
}
const MARK_FRESH_MS = 3600_000;

/**
 * Loads the CLI's main module: the bundle (built now when missing), else the sources.
 * `LABS_FROM_SOURCE=1` always loads the sources.
 */
async function loadMain(env = process.env) {
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
    // Node maps stack traces through the source map only for modules it loads itself.
    return env.LABS_DEBUG ? require(entry) : requireBundle(entry, codeCacheKey(process.argv[2]));
  } catch (e) {
    debug(`the bundle ${entry} did not load`, e);
    return fromSource();
  }
}

/** The code cache kept for a command: its name (`verify`, `check`…), or `other`. */
function codeCacheKey(command) {
  return typeof command === 'string' && /^[a-z]{1,16}$/.test(command) ? command : 'other';
}

/**
 * Runs the bundle as the CommonJS module it is, compiled with V8's code for every function an
 * earlier run of the same command compiled. Node's own compile cache keeps only the code V8
 * compiles before the module runs, so each start compiled again, lazily, every function the
 * command calls (the module bodies, the parsers, the runner): tens of milliseconds. This cache
 * is taken after the run, when those functions are compiled, and written once per command
 * (`<bundle>.<command>.v8cache`), beside the bundle it belongs to; V8 refuses a cache that is not
 * for this very source, V8 version and flags, and it is then written again.
 */
function requireBundle(entry, key) {
  const cacheFile = `${entry}.${key}.v8cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // First run of this command: made at exit.
  }
  const script = new vm.Script(readFileSync(join(dirname(entry), BUNDLE_SCRIPT), 'utf8'), {
    filename: entry,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // A cache that cannot be written is simply not used.
        try {
          unlinkSync(tmp);
        } catch {
          // Never written.
        }
      }
    });
  }
  quietDefaultLoaderWarning();
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(entry), module, entry, dirname(entry));
  return module.exports;
}

/**
 * The bundle's dynamic import() calls (of packages loaded at run time, such as the pty binding)
 * go to Node's own module loader, as they would from a module Node loaded; asking a script for
 * that still makes Node print an "experimental feature" warning at the first such call. That one
 * warning, and no other, is not printed: the user did nothing to cause it.
 */
function quietDefaultLoaderWarning() {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    const message = warning instanceof Error ? warning.message : String(warning);
    if (message.startsWith('vm.USE_MAIN_CONTEXT_DEFAULT_LOADER is an experimental feature')) return;
    return Reflect.apply(emitWarning, this, [warning, ...rest]);
  };
}

module.exports = { PROJECT_ROOT, BUNDLE_FORMAT, BUNDLE_MAIN, BUNDLE_SCRIPT, SCRIPT_WRAPPER, cacheRoot, statLine, sourceStamp, dependencyStamp, findBundle, loadMain, codeCacheKey };
