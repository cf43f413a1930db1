import type { Lab } from '../model/lab.ts';
import type { Step } from '../model/block.ts';
import { buildWriteFileCommand } from '../run/session.ts';

/** One thing `labs record --replay` types into the recording shell before the author gets it. */
export interface ReplayAction {
  /** Where it comes from, `file:line`. */
  where: string;
  /** The shell text to run (a command, or the writing of a `file=` block). */
  text: string;
  /** The exit status the page expects (`any` for a file write that only has to succeed). */
  exit: number | 'any';
  timeoutMs: number;
}

/** What `--replay` will do, and what it leaves out and why. */
export interface ReplayPlan {
  actions: ReplayAction[];
  /** `file:line — why` of every block that is not replayed. */
  left: string[];
}

/**
 * The earlier steps of `step`'s lab, as commands for the recording shell `session`: their
 * command blocks of that session in order (every command), and their `file=` blocks for it.
 * Blocks of other sessions, `skip=` blocks, `background` blocks (a run stops them when their
 * step ends) and blocks that open another program (`opens=`) are left out, named. Commands run
 * as the page writes them: example values are not replaced by real ones. Pure.
 */
export function planReplay(lab: Lab, step: Step, session: string, nonce: string): ReplayPlan {
  const actions: ReplayAction[] = [];
  const left: string[] = [];
  const index = lab.steps.findIndex((s) => s.absPath === step.absPath);
  for (const s of lab.steps.slice(0, Math.max(0, index))) {
    for (const b of s.blocks) {
      const where = `${b.file}:${b.line}`;
      if (b.kind === 'file') {
        if (b.session !== session) left.push(`${where} — a file for session ${b.session}`);
        else actions.push({ where, text: buildWriteFileCommand(b.path, b.content, nonce), exit: 0, timeoutMs: 30_000 });
        continue;
      }
      const o = b.options;
      const why = o.skip !== undefined ? 'skip=' : o.session !== session ? `session ${o.session}` : o.opens !== undefined ? `opens=${o.opens}` : o.background ? 'background (a run stops it when its step ends)' : undefined;
      if (why) {
        left.push(`${where} — ${why}`);
        continue;
      }
      b.commands.forEach((c, k) => {
        const last = k === b.commands.length - 1;
        actions.push({ where: `${b.file}:${c.line}`, text: c.text, exit: last ? o.exit : 'any', timeoutMs: o.timeoutMs });
      });
    }
  }
  return { actions, left };
}

/** One line that runs `text` in the current shell (so `cd` and variables carry over) without typing its characters at the prompt. */
export function replayLine(text: string): string {
  return ` eval "$(printf %s ${Buffer.from(text, 'utf8').toString('base64')} | base64 -d)" </dev/null\r`;
}
