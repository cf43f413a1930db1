import { spawn, type IPty } from '@lydell/node-pty';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const LABS_BIN = join(ROOT, 'bin/labs.js');

/** The real `labs` command line in a pseudo-terminal, typed into as a person would. */
export interface PtyRun {
  pty: IPty;
  /** Everything the terminal showed so far, escape sequences and all. */
  screen(): string;
  /** Everything shown, with escape sequences and carriage returns taken out. */
  text(): string;
  /** Waits until the text shown since `from` (an offset into `text()`) matches; rejects with what was shown after `ms`. */
  waitFor(pattern: RegExp | string, from?: number, ms?: number): Promise<number>;
  type(keys: string): void;
  /** The exit status, once the program ended. */
  exited: Promise<number>;
}

const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;

/** Starts `labs ARGS` in a pseudo-terminal in `cwd`. */
export function spawnLabs(args: string[], cwd: string, env: Record<string, string> = {}): PtyRun {
  const pty = spawn(process.execPath, [LABS_BIN, ...args], {
    name: 'xterm-256color',
    cols: 120,
    rows: 40,
    cwd,
    env: { ...(process.env as Record<string, string>), ...env },
  });
  let shown = '';
  pty.onData((d) => (shown += d));
  const exited = new Promise<number>((res) => pty.onExit(({ exitCode }) => res(exitCode)));
  const text = () => shown.replace(ANSI, '').replace(/\r/g, '');
  return {
    pty,
    screen: () => shown,
    text,
    type: (keys) => pty.write(keys),
    exited,
    waitFor(pattern, from = 0, ms = 30_000) {
      return new Promise((res, rej) => {
        const started = Date.now();
        const tick = () => {
          const t = text().slice(from);
          const at = typeof pattern === 'string' ? t.indexOf(pattern) : t.search(pattern);
          if (at >= 0) {
            const len = typeof pattern === 'string' ? pattern.length : (pattern.exec(t)?.[0].length ?? 0);
            return res(from + at + len);
          }
          if (Date.now() - started > ms) return rej(new Error(`did not see ${String(pattern)}; the terminal showed:\n${t}`));
          setTimeout(tick, 25);
        };
        tick();
      });
    },
  };
}
