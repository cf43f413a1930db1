/**
 * Demo replay: a terminal block on a slide played back from its verification record — each
 * command appears as if typed, its output after the time the command really took. Nothing runs
 * during the talk, so conference Wi-Fi cannot break the demo, and what the room sees is what
 * happened in the recorded run. Only a block whose record passed against the slide as written
 * (badge "Verified" or "Flaky") is replayed; any other block stays a plain, honestly badged block.
 */
import type { BlockResult } from '../model/result.ts';
import type { LabRecord } from '../record/types.ts';
import type { StatusView, TranscriptView } from '../site/view-model.ts';

/** One command of a replay. */
export interface ReplayCommand {
  prompt: string;
  /** The command as the slide shows it (continuation lines joined with newlines). */
  command: string;
  /** What it printed in the recorded run (secrets were redacted when recorded). */
  output: string;
  /** How long it took in the recorded run. */
  durationMs: number;
}

/** What the Replay component renders. */
export interface ReplayView {
  id: string;
  /** Frame title, e.g. "Terminal · node". */
  title: string;
  commands: ReplayCommand[];
  /** The slide step at which the first command shows (each further command is one more step). */
  base: number;
  /** "Recorded 22 November 2026 · local · kernel 6.18 …": when and where it ran. */
  recorded: string;
  /** ISO time of the recorded run. */
  at: string;
  /** The block's badge (verified or flaky: nothing else is replayed). */
  status: StatusView;
}

/** Why a block cannot be replayed, in words for the build log. */
export type ReplayRefusal = { reason: string };

/**
 * The replay of `view` (a rendered console block) from `record`, starting at slide step `base`;
 * or why not: the block is not verified, its record is missing, or the record's commands do not
 * line up with the block's.
 */
export function buildReplay(view: TranscriptView, record: LabRecord | undefined, base: number): ReplayView | ReplayRefusal {
  if (view.status.kind !== 'verified' && view.status.kind !== 'flaky') {
    return { reason: `block ${view.id} is "${view.status.label}", not verified: only a verified run is replayed` };
  }
  const result: BlockResult | undefined = record?.blocks.find((b) => b.id === view.id);
  if (!result || (result.status !== 'pass' && result.status !== 'flaky')) return { reason: `block ${view.id} has no passing run in its record` };
  if (result.commands.length !== view.commands.length) {
    return { reason: `block ${view.id}: the record has ${result.commands.length} commands, the slide ${view.commands.length}` };
  }
  const commands = view.commands.map((c, i) => {
    const ran = result.commands[i]!;
    return { prompt: c.prompt, command: ran.command, output: ran.output.replace(/\n+$/, ''), durationMs: Math.max(0, Math.round(ran.durationMs)) };
  });
  const date = view.status.date ?? result.at.slice(0, 10);
  return {
    id: view.id,
    title: view.title,
    commands,
    base,
    recorded: `Replay of the run recorded ${date}${view.status.environment ? ` · ${view.status.environment}` : ''}`,
    at: result.at,
    status: view.status,
  };
}
