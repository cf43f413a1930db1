/**
 * Demo replay: a terminal block on a slide played back from its verification record — each
 * command appears as if typed, its output after the time the command really took. Nothing runs
 * during the talk, so conference Wi-Fi cannot break the demo, and what the room sees is what
 * happened in the recorded run. Only a block whose record passed against the slide as written
 * (badge "Verified" or "Flaky") is replayed; any other block stays a plain, honestly badged block.
 */
import type { LabRecord } from '../record/types.ts';
import { describeRecording, replayFromRecord, type ReplayCommand, type ReplayRefusal } from '../replay/from-record.ts';
import type { StatusView, TranscriptView } from '../site/view-model.ts';

export type { ReplayCommand, ReplayRefusal };

/** What the Replay component renders. */
export interface ReplayView {
  id: string;
  /** Frame title, e.g. "Terminal · node". */
  title: string;
  commands: ReplayCommand[];
  /** The slide step at which the first command shows (each further command is one more step). */
  base: number;
  /** "Replay of the run recorded 22 Nov 2026 · local · kernel 6.18 …": when and where it ran. */
  recorded: string;
  /** ISO time of the recorded run. */
  at: string;
  /** The block's badge (verified or flaky: nothing else is replayed). */
  status: StatusView;
}

/**
 * The replay of `view` (a rendered console block) from `record`, starting at slide step `base`;
 * or why not: the block is not verified, its record is missing, or the record's commands do not
 * line up with the block's (see replayFromRecord, shared with the lab pages).
 */
export function buildReplay(view: TranscriptView, record: LabRecord | undefined, base: number): ReplayView | ReplayRefusal {
  const result = record?.blocks.find((b) => b.id === view.id);
  const run = replayFromRecord({ id: view.id, status: view.status.kind, label: view.status.label, prompts: view.commands.map((c) => c.prompt) }, result);
  if ('reason' in run) return run;
  return {
    id: view.id,
    title: view.title,
    commands: run.commands,
    base,
    recorded: describeRecording(view.status.date ?? run.at.slice(0, 10), view.status.environment),
    at: run.at,
    status: view.status,
  };
}
