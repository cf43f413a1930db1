#!/usr/bin/env node
// The `labs` command. Its sources are TypeScript run by Node's type stripping (no build step);
// Node 22.12–22.17 need the flag, so re-run with it there. Runs load a bundle of them built for
// the sources as they are (see launch.js); LABS_FROM_SOURCE=1 loads the sources themselves.
//
// CommonJS (bin/package.json says so), as is launch.js: an ES module entry makes Node start its
// ES module loader before the first line runs, a few milliseconds of every start; the bundle is
// CommonJS too, so a bundled start does without it.
//
// Node's own modules are taken with process.getBuiltinModule, the shortest way to them.

if (!process.features.typescript) {
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
// A reader that goes away (`labs list | head`) is not an error, and must not cut a run short
// before its teardown: writes to a closed pipe are dropped.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
  });
}
// Compiled modules (and, on Node 24, their type-stripped sources) are cached on disk between
// runs, which halves start-up; a cache that cannot be written is simply not used.
const { enableCompileCache } = process.getBuiltinModule('node:module');
enableCompileCache?.();
// A signal that arrives while the command is still loading is kept for it, so Ctrl-C or a
// closed terminal in the first moments still ends in a clean stop (exit 130, partial report).
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const early = [];
const keep = (sig) => void early.push(sig);
for (const sig of STOP_SIGNALS) process.on(sig, keep);
const takeEarlySignals = () => {
  for (const sig of STOP_SIGNALS) process.off(sig, keep);
  return early.splice(0);
};
// Until the command returns its status the process ends with 13, as a module whose top-level
// await never settled does: a run that stops short (nothing left to wait for, yet no result)
// never ends as a success.
process.exitCode = 13;
process.on('exit', warnUnsettled);
require('./launch.js')
  .loadMain()
  .then(({ main }) => main(process.argv.slice(2), { takeEarlySignals }))
  .then(endWith);

function warnUnsettled(code) {
  if (code === 13) process.stderr.write('labs: the command ended before it gave a result (exit 13); this is a bug in labs\n');
}

/**
 * 'exit' comes once nothing is left to run (every write done, every child reaped). Node would
 * then free its heap and environment one object at a time, about 10 ms that show nothing; the
 * process ends as soon as every 'exit' listener (the console's last lines, lock release, the
 * code cache) has run instead, with the same status. process.exit still runs Node's own exit
 * hooks (the terminal's settings, --cpu-prof and coverage files).
 */
function endWith(status) {
  process.off('exit', warnUnsettled);
  process.exitCode = status;
  process.on('exit', function endNow() {
    const listeners = process.listeners('exit');
    for (const later of listeners.slice(listeners.indexOf(endNow) + 1)) later.call(process, process.exitCode ?? 0);
    process.exit();
  });
}
