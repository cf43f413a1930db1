import { blockLocation, type Step } from '../model/block.ts';
import { HOST_SESSION, type SessionDef } from '../model/lab.ts';
import type { Location, Problem } from '../model/location.ts';
import { formatLocation, makeProblem } from './problem.ts';

/**
 * Checks, across the steps in run order, that every block types into a session that exists at
 * that point: `host` and sessions with a `command:` are started by the runner; the others must
 * be opened first by an `opens=` block (and an `exit` as the last command of a block in such a
 * session closes it). Skipped blocks never run, so they neither open nor need a session.
 */
export function checkSessionOrder(steps: readonly Step[], sessions: Record<string, SessionDef>): Problem[] {
  const started = new Set([HOST_SESSION, ...Object.entries(sessions).filter(([, s]) => s.command).map(([name]) => name)]);
  const open = new Set<string>();
  const closedAt = new Map<string, Location>();
  const problems: Problem[] = [];
  for (const step of steps) {
    for (const block of step.blocks) {
      if (block.kind === 'command' && block.options.skip !== undefined) continue;
      const session = block.kind === 'command' ? block.options.session : block.session;
      // An undefined session was already reported where it is named (unknown session).
      if (!started.has(session) && !open.has(session) && Object.hasOwn(sessions, session)) {
        const closed = closedAt.get(session);
        problems.push(
          closed
            ? makeProblem('parse', blockLocation(block), `session "${session}" was closed by "exit" at ${formatLocation(closed)}`, `open it again with a block that has opens=${session}`)
            : makeProblem('parse', blockLocation(block), `session "${session}" is used before a block opens it`, `put opens=${session} on the block whose command starts that shell, or give the session a command: in lab.yaml`),
        );
      }
      if (block.kind !== 'command') continue;
      if (block.options.opens) {
        open.add(block.options.opens);
        closedAt.delete(block.options.opens);
      }
      const last = block.commands[block.commands.length - 1];
      if (!started.has(session) && last && /^exit(\s+\d+)?\s*$/.test(last.text.trim())) {
        open.delete(session);
        closedAt.set(session, { file: block.file, line: last.line, column: 1 });
      }
    }
  }
  return problems;
}
