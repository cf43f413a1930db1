/**
 * What a replay plays, taken from a block's verification record and nothing else: each command as
 * it ran, what it printed and how long it took in that run. Pure (no I/O, no clock), shared by
 * the deck's `<Replay>` and the lab pages' "Replay" button, so both replay the same thing.
 */
import type { BlockResult } from '../model/result.ts';

/** One command of a replay. */
export interface ReplayCommand {
  /** The session's prompt, as the page shows it. */
  prompt: string;
  /** The command as it ran (example values replaced by the run's own; continuation lines joined with newlines). */
  command: string;
  /** What it printed in the recorded run (secrets were redacted when recorded), without trailing newlines. */
  output: string;
  /** How long it took in the recorded run, in whole milliseconds. */
  durationMs: number;
}

/** A replayable run of one block. */
export interface ReplayRun {
  commands: ReplayCommand[];
  /** ISO time the recorded run of the block finished. */
  at: string;
}

/** Why a block cannot be replayed, in words for a build log. */
export interface ReplayRefusal {
  reason: string;
}

/** The block as the page shows it: its id, its badge and the prompt of each command. */
export interface ReplayBlock {
  id: string;
  /** The badge's kind (`verified`, `flaky`, `drifted`, `unverified`, `skipped`). */
  status: string;
  /** The badge's text, for the refusal. */
  label?: string;
  prompts: string[];
}

/**
 * The replay of `block` from its record `result`, or why not. Only a block whose badge says its
 * current text passed (verified or flaky: the record's hash is the block's) is replayed, and only
 * when the record holds one result per command; anything else would show a run the page does
 * not stand for.
 */
export function replayFromRecord(block: ReplayBlock, result: BlockResult | undefined): ReplayRun | ReplayRefusal {
  if (block.status !== 'verified' && block.status !== 'flaky') {
    return { reason: `block ${block.id} is "${block.label ?? block.status}", not verified: only a verified run is replayed` };
  }
  if (!result || result.id !== block.id || (result.status !== 'pass' && result.status !== 'flaky')) return { reason: `block ${block.id} has no passing run in its record` };
  if (result.commands.length !== block.prompts.length || result.commands.length === 0) {
    return { reason: `block ${block.id}: the record has ${result.commands.length} commands, the block shows ${block.prompts.length}` };
  }
  const commands = block.prompts.map((prompt, i) => {
    const ran = result.commands[i]!;
    const durationMs = Number.isFinite(ran.durationMs) ? Math.max(0, Math.round(ran.durationMs)) : 0;
    return { prompt, command: ran.ran || ran.command, output: ran.output.replace(/\n+$/, ''), durationMs };
  });
  return { commands, at: result.at };
}

/** "Replay of the run recorded 12 May 2026 · local · kernel 6.12.0": when and where the replayed run happened. */
export function describeRecording(date: string, environment: string | undefined): string {
  return `Replay of the run recorded ${date}${environment ? ` · ${environment}` : ''}`;
}
