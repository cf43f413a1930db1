import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join, relative } from 'node:path';
import type { Block } from '../model/block.ts';
import { formatProblem } from '../model/location.ts';
import { loadLab } from '../parse/load-lab.ts';
import { writeRecord } from '../record/records.ts';
import { Redactor } from '../redact/redact.ts';
import { redactRun } from '../redact/redact-run.ts';
import { createConsoleView } from '../report/console.ts';
import { hasDrift, summarise } from '../report/summary.ts';
import type { LabRunResult } from '../report/types.ts';
import { lockDir } from '../run/lab-lock.ts';
import { readStartTime } from '../run/process-group.ts';
import { SerialQueue } from '../run/serial-queue.ts';
import { LiveLab } from './engine.ts';
import { readJsonLines, type LiveReply, type LiveRequest } from './protocol.ts';
import { allBlocks } from './select-blocks.ts';
import { liveDir, SOCKET_FILE, STATE_FILE, type LiveState } from './state.ts';

/** What the daemon tells the process that started it, once (over the IPC channel). */
export type DaemonHello = { ready: LiveState } | { error: string; status: number };

/**
 * The live-state daemon of one local lab: takes the lab's lock, makes its work folder and
 * sessions, listens on `<lock folder>/<lab>.live/daemon.sock` and serves verify/run/stop
 * requests one at a time until it is stopped (a `stop` request, SIGTERM, SIGINT or SIGHUP), then
 * cleans up everything it made. Runs in its own detached process (`daemon-main.ts`).
 */
export async function serveLab(labDir: string, cwd: string, hello: (h: DaemonHello) => void): Promise<void> {
  const loaded = await loadLab(labDir, { cwd });
  if (!loaded.lab) {
    hello({ error: loaded.problems.map(formatProblem).join('\n'), status: 2 });
    return;
  }
  const lab = loaded.lab;
  const dir = liveDir(lab.id);
  const opened = await LiveLab.open(lab, { command: `labs live-state daemon of ${lab.id} (labs verify --keep)`, liveDir: dir });
  if ('busy' in opened) {
    const h = opened.busy;
    hello({ error: `${lab.id} is being verified by another run (pid ${h.pid}, started ${h.startedAt})`, status: 2 });
    return;
  }
  const live = opened.live;
  const redactor = new Redactor();
  const queue = new SerialQueue();
  const socketPath = join(dir, SOCKET_FILE);
  let stopping: Promise<void> | undefined;
  /** Requests queued or running: a stop request aborts them rather than waiting behind a long block. */
  const active = new Set<AbortController>();
  /** A client asked to stop: its request, not an aborted one, ends the process once it has answered. */
  let stopRequested = false;

  const server = createServer((conn) => serve(conn));
  const shutdown = (out?: (s: string) => void): Promise<void> =>
    (stopping ??= (async () => {
      server.close();
      const failures = await live.stop({ phase: (l) => out?.(`  ${l}\n`) });
      for (const f of failures) out?.(`  ! ${f}\n`);
      rmSync(dir, { recursive: true, force: true });
    })());

  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(sig, () => void shutdown().finally(() => process.exit(0)));
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    rmSync(socketPath, { force: true });
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(socketPath, () => res());
    });
  } catch (e) {
    await shutdown();
    hello({ error: `could not listen on ${socketPath}: ${(e as Error).message}`, status: 2 });
    return;
  }
  const state: LiveState = {
    labId: lab.id,
    labDir: lab.dir,
    pid: process.pid,
    startTime: readStartTime(process.pid) ?? '',
    socket: socketPath,
    workDir: live.workDir,
    startedAt: new Date().toISOString(),
  };
  const tmp = join(dir, `${STATE_FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, join(dir, STATE_FILE));
  hello({ ready: state });

  function serve(conn: Socket): void {
    const controller = new AbortController();
    let replied = false;
    const send = (m: LiveReply) => {
      if (!conn.destroyed) conn.write(JSON.stringify(m) + '\n');
    };
    const out = (s: string) => send({ t: 'out', s });
    const finish = (status: number, message?: string) =>
      new Promise<void>((res) => {
        replied = true;
        if (conn.destroyed) return res();
        conn.end(JSON.stringify({ t: 'done', status, message } satisfies LiveReply) + '\n', () => res());
        setTimeout(res, 1000).unref();
      });
    let first = true;
    readJsonLines<LiveRequest | { op: 'abort' }>(conn, (req) => {
      if (req.op === 'abort') return controller.abort();
      if (!first) return;
      first = false;
      if (req.op === 'stop') {
        stopRequested = true;
        for (const c of active) c.abort();
      }
      else active.add(controller);
      void queue
        .run(() => handle(req, out, controller.signal))
        .then(
          (r) => finish(r.status, r.message),
          (e: Error) => finish(2, `the live-state daemon failed: ${e.message}`),
        )
        .then(async () => {
          active.delete(controller);
          // Stopped on request, or by an interrupted verify: nothing is left to serve.
          if (req.op === 'stop') process.exit(0);
          if (stopping && !stopRequested) {
            await stopping;
            process.exit(0);
          }
        });
    });
    // A client that goes away (Ctrl-C, a closed terminal) stops what it asked for.
    conn.on('close', () => {
      if (!replied) controller.abort();
    });
    conn.on('error', () => {});
  }

  async function handle(req: LiveRequest, out: (s: string) => void, signal: AbortSignal): Promise<{ status: number; message?: string }> {
    if (stopping && req.op !== 'stop') return { status: 2, message: `the live state of ${lab.id} is being stopped` };
    if (req.op === 'status') return { status: 0, message: JSON.stringify(state) };
    if (req.op === 'stop') {
      await shutdown(out);
      return { status: 0 };
    }
    const view = createConsoleView({ stream: { write: out, isTTY: req.color }, tty: req.color, redactor, showActual: req.showActual });
    try {
      const fresh = await loadLab(labDir, { cwd });
      if (!fresh.lab) {
        for (const p of fresh.problems) out(formatProblem(p) + '\n');
        return { status: 2, message: `${fresh.problems.length} problem${fresh.problems.length === 1 ? '' : 's'} found; nothing was run.` };
      }
      let run: LabRunResult;
      if (req.op === 'verify') {
        run = await live.verify(fresh.lab, req.onlySteps ? new Set(req.onlySteps) : undefined, { events: view, signal });
      } else {
        const byId = new Map(allBlocks(fresh.lab).map((b) => [b.id, b]));
        const blocks: Block[] = [];
        for (const id of req.blocks) {
          const b = byId.get(id);
          if (!b) return { status: 2, message: `no block with id "${id}" in ${lab.id} any more (the page changed); run \`labs list\` for the ids` };
          blocks.push(b);
        }
        run = await live.runLive(fresh.lab, blocks, { events: view, signal });
      }
      const redacted = redactRun(run, redactor);
      if (req.op === 'verify' && req.recordsDir) {
        try {
          out(`  record: ${relative(cwd, await writeRecord(req.recordsDir, redacted))}\n`);
        } catch (e) {
          out(`  record of ${lab.id} not written: ${(e as Error).message}\n`);
          return { status: 2 };
        }
      }
      if (run.interrupted) {
        // Live state half built by an interrupted verify is not worth keeping.
        if (req.op === 'verify') await shutdown(out);
        return { status: 130 };
      }
      return { status: hasDrift(summarise(run.results)) || run.labErrors.length > 0 ? 1 : 0 };
    } finally {
      view.close();
    }
  }
}

/** The lock folder the daemon uses (it inherits LABS_LOCK_DIR from whoever started it). */
export function daemonLockDir(): string {
  return lockDir();
}
