import { watch } from 'chokidar';
import { basename } from 'node:path';
import type { Block } from '../model/block.ts';
import { hashBlock } from '../model/hash.ts';
import type { Lab } from '../model/lab.ts';
import { formatProblem } from '../model/location.ts';
import { loadLab } from '../parse/load-lab.ts';
import { createConsoleView } from '../report/console.ts';
import { hasDrift, summarise } from '../report/summary.ts';
import { SerialQueue } from '../run/serial-queue.ts';
import { findLiveOf } from './client.ts';
import { LiveLab } from './engine.ts';
import { sendRequest } from './protocol.ts';
import { allBlocks } from './select-blocks.ts';

/** Options of {@link watchLab}. */
export interface WatchOptions {
  /** The lab as it is when watching starts (its blocks are the baseline a save is compared with). */
  lab: Lab;
  cwd: string;
  /** Only this step file is watched (`labs verify --watch path/02-step.mdx`). @default every step and lab.yaml */
  stepFile?: string;
  /** Where the console text goes. */
  out: (s: string) => void;
  color: boolean;
  showActual: boolean;
  /** Aborting ends the watch (after stopping a run in progress). */
  signal: AbortSignal;
}

/**
 * `labs verify --watch`: on every save of a step, re-parses the lab and runs the blocks whose
 * content changed (new ones too) — in the live sessions when the lab has live state
 * (`labs verify --keep`), else from scratch with the steps before them replayed — and prints
 * the result. Nothing is recorded. Resolves once the signal aborts: 0, or 130 when that
 * stopped a run in progress (a run from scratch it started is torn down first).
 */
export async function watchLab(o: WatchOptions): Promise<number> {
  let known = hashesOf(o.lab);
  /** Whether Ctrl-C arrived while a run was in progress (the watch then ends with 130). */
  let cut = false;
  const queue = new SerialQueue();
  let running: AbortController | undefined;
  const paths = o.stepFile ? [o.stepFile] : [o.lab.dir];
  const watcher = watch(paths, {
    ignoreInitial: true,
    depth: 0,
    ignored: (p, stats) => Boolean(stats?.isFile()) && !/\.mdx?$/.test(p) && basename(p) !== 'lab.yaml',
    awaitWriteFinish: { stabilityThreshold: 40, pollInterval: 10 },
  });
  await new Promise<void>((res) => watcher.once('ready', () => res()));
  const live = findLiveOf(o.lab);
  o.out(
    `watching ${o.stepFile ? basename(o.stepFile) : `${o.lab.id} (${o.lab.steps.length} steps)`}: ` +
      (live
        ? `a saved block runs in the live state of ${o.lab.id} (pid ${live.pid})`
        : `no live state, so a saved block runs from scratch after the blocks before it (\`labs verify --keep ${o.lab.dir}\` makes it faster)`) +
      '; results are not recorded; Ctrl-C stops\n',
  );

  let timer: NodeJS.Timeout | undefined;
  const changedFiles = new Set<string>();
  const onChange = (p: string) => {
    changedFiles.add(basename(p));
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...changedFiles];
      changedFiles.clear();
      void queue.run(() => rerun(files));
    }, 30);
  };
  watcher.on('change', onChange).on('add', onChange);

  async function rerun(files: string[]): Promise<void> {
    if (o.signal.aborted) return;
    const stamp = new Date().toTimeString().slice(0, 8);
    const loaded = await loadLab(o.lab.dir, { cwd: o.cwd });
    if (!loaded.lab) {
      o.out(`${stamp} ${files.join(', ')} saved: ${loaded.problems.length} problem${loaded.problems.length === 1 ? '' : 's'}, nothing run\n`);
      for (const p of loaded.problems) o.out(formatProblem(p) + '\n');
      return;
    }
    const lab = loaded.lab;
    if (files.includes('lab.yaml')) {
      o.out(`${stamp} lab.yaml saved: its setup, sessions and values apply to the whole lab — run \`labs verify${findLiveOf(lab) ? ' --keep' : ''} ${lab.dir}\` again; blocks saved from now on run with it\n`);
      known = hashesOf(lab);
      return;
    }
    const changed = allBlocks(lab).filter((b) => !known.has(hashBlock(b)) && (!o.stepFile || lab.steps.find((s) => s.blocks.includes(b))?.absPath === o.stepFile));
    known = hashesOf(lab);
    if (changed.length === 0) {
      o.out(`${stamp} ${files.join(', ')} saved: no block changed\n`);
      return;
    }
    const names = changed.map((b) => b.id).join(', ');
    const state = findLiveOf(lab);
    o.out(`${stamp} ${files.join(', ')} saved: running ${names} ${state ? 'in the live state' : 'from scratch'}\n`);
    running = new AbortController();
    const abort = () => running?.abort();
    o.signal.addEventListener('abort', abort, { once: true });
    try {
      if (state) {
        const r = await sendRequest(state.socket, { op: 'run', blocks: changed.map((b) => b.id), showActual: o.showActual, color: o.color }, { onOutput: o.out, signal: running.signal });
        if (r.message) o.out(r.message + '\n');
      } else {
        await runFromScratch(lab, changed, running.signal);
      }
    } catch (e) {
      o.out(`could not run ${names}: ${(e as Error).message}\n`);
    } finally {
      if (running.signal.aborted) cut = true;
      o.signal.removeEventListener('abort', abort);
      running = undefined;
    }
  }

  async function runFromScratch(lab: Lab, blocks: Block[], signal: AbortSignal): Promise<number> {
    const view = createConsoleView({ stream: { write: o.out, isTTY: o.color }, tty: o.color, showActual: o.showActual });
    const opened = await LiveLab.open(lab, { command: `labs verify --watch ${lab.dir}`, events: view });
    if ('busy' in opened) {
      view.close();
      o.out(`${lab.id} is being verified by another run (pid ${opened.busy.pid}); saved blocks run once it is done\n`);
      return 2;
    }
    try {
      const run = await opened.live.runFresh(lab, blocks, { events: view, signal });
      return run.interrupted ? 130 : hasDrift(summarise(run.results)) || run.labErrors.length > 0 ? 1 : 0;
    } finally {
      for (const f of await opened.live.stop(view)) o.out(`  ! ${f}\n`);
      view.close();
    }
  }

  await new Promise<void>((res) => {
    if (o.signal.aborted) res();
    else o.signal.addEventListener('abort', () => res(), { once: true });
  });
  clearTimeout(timer);
  await watcher.close();
  // Let a run in progress finish its clean-up (it was aborted with the same signal).
  await queue.run(async () => {});
  return cut ? 130 : 0;
}

/** The hashes of a lab's blocks: a block whose hash is new was added or edited. */
function hashesOf(lab: Lab): Set<string> {
  return new Set(allBlocks(lab).map(hashBlock));
}
