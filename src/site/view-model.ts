import type { VolatileDef } from '../model/lab.ts';
import type { ReplayCommand } from '../replay/from-record.ts';
/**
 * The view models the site's Astro components render. Everything here is plain JSON (no class
 * instances, no functions), because the remark plugin passes it to the components as MDX props.
 */

/** A piece of highlighted code: text plus the CSS custom properties shiki gave it (light and dark colour). */
export interface CodeToken {
  text: string;
  /** e.g. `--shiki-light:#24292E;--shiki-dark:#E1E4E8`; absent for uncoloured text. */
  style?: string;
  /** Set on an example value the runner replaces by the real one (printed by an earlier command). */
  value?: ValueMark;
}

/** An example value in a command: the reader's own value goes here. */
export interface ValueMark {
  /** Tooltip text: what the value is and which earlier command printed it. */
  tip: string;
  /** Element id of the tooltip, unique on the page. */
  tipId: string;
}

/** A piece of expected output; volatile pieces carry the tooltip text. */
export interface OutputToken {
  text: string;
  /** Present when the value differs from run to run. */
  volatile?: {
    /** Human name of the class, e.g. "IP address". */
    label: string;
    /** Tooltip text, e.g. "IP address — yours will differ". */
    tip: string;
    /** Element id of the tooltip, unique on the page (for aria-describedby). */
    tipId: string;
    /** Set when the runner binds the value: a learner's own value, once known, is shown instead. */
    bind?: boolean;
  };
}

/** One line of expected output: text, or an elision (`...` in the source). */
export type OutputLine = { kind: 'text'; tokens: OutputToken[] } | { kind: 'elision' };

/** One command of a transcript as shown. */
export interface CommandView {
  /** The prompt as written, e.g. `$ ` or `root@red:/# `. */
  prompt: string;
  /** Highlighted lines of the command: the first follows the prompt, the rest are continuation or here-document lines. */
  lines: CodeToken[][];
  output: OutputLine[];
}

/** The kinds of status a block can show. `skipped` blocks are never run (contract §3 `skip`). */
export type StatusKind = 'verified' | 'flaky' | 'drifted' | 'unverified' | 'skipped';

/** One line of a drift diff, as shown in the "what changed" disclosure. */
export interface DiffLineView {
  op: '=' | '-' | '+' | '~';
  text: string;
  notes?: string[];
}

/** The status badge of one block. */
export interface StatusView {
  kind: StatusKind;
  /** Short badge text: "Verified", "Flaky", "Drifted", "Not yet verified", "Run this yourself". */
  label: string;
  /** Date of the record shown, e.g. "12 May 2026". */
  date?: string;
  /** Where it ran, e.g. "kind · kubernetes v1.35.0 · kind v0.31.0". */
  environment?: string;
  /** ISO time of the record shown, for a `<time datetime>`. */
  at?: string;
  /** Why: the skip reason, the failure reason, "changed since it was last verified". */
  reason?: string;
  /** Drifted blocks: what the last run printed against what the page says, per command. */
  diff?: { command: string; reason?: string; lines: DiffLineView[] }[];
}

/**
 * Where a block stands in a `labs verify` run that is still going. Only the dev server shows it
 * (from `verification/.live/`); the badge beside it keeps saying what the last record says.
 */
export interface LiveView {
  state: 'queued' | 'running' | 'done';
  /** Short text, e.g. "Being verified · running now". */
  label: string;
  /** One sentence saying what it means, for the tooltip. */
  detail: string;
}

/**
 * Dev server only: where a block's record and run in progress are, so its component reads them
 * again at every request (a page compiled while a run was writing must not keep what it saw).
 */
export interface RecheckSource {
  /** Project root holding `verification/`. */
  root: string;
  /** Record id: the lab id, or `slides-<deck>`. */
  labId: string;
  /** Hash of the block as the page shows it. */
  hash: string;
  /** The block's `skip=` reason. */
  skip?: string;
}

/** A ```console block as the TerminalBlock component renders it. */
export interface TranscriptView {
  kind: 'command';
  id: string;
  /** Element id of the block (page anchor), e.g. `block-make-veth`. */
  anchor: string;
  /** Session the commands are typed into. */
  session: string;
  /** Frame title, e.g. "Terminal" or "Terminal · red". */
  title: string;
  commands: CommandView[];
  /** Exactly what the copy button puts on the clipboard: the commands, nothing else. */
  copyText: string;
  /** Short notes shown with the block: wait, background, opens, exit status, output mode. */
  notes: string[];
  status: StatusView;
  /** A run in progress (dev server only). */
  live?: LiveView;
  /** Dev server only: read the status and the run in progress again at render time. */
  recheck?: RecheckSource;
  /** Source location, for maintainers (`content/labs/x/01-a.mdx:12`). */
  source: string;
  /** Key under which a learner's own values are kept: the lab id, or `page:<slug>` outside labs. */
  scope: string;
  /** What "Check my output" compares a pasted output with; absent when no command's output is checked. */
  check?: CheckData;
  /** The recorded run "Replay" plays; absent unless the block is verified (or flaky) and its record holds every command. */
  replay?: ReplayData;
}

/** A block's recorded run, as the lab page's "Replay" plays it (see src/replay/). */
export interface ReplayData {
  /** Each command as it ran, what it printed and how long it took, from the record only. */
  commands: ReplayCommand[];
  /** "Replay of the run recorded 12 May 2026 · local · kernel 6.12.0". */
  recorded: string;
  /** ISO time of the recorded run. */
  at: string;
}

/** What the in-page checker needs to compare a learner's pasted output exactly as the runner would. */
export interface CheckData {
  /** The lab's own volatile classes and pinned values (lab.yaml `volatile`, `pin`). */
  volatile: VolatileDef[];
  pin: string[];
  /** Output mode of the block. */
  mode: 'exact' | 'contains' | 'unordered';
  /** The step file, for notes such as "bound earlier at …". */
  file: string;
  /** The block's commands, with their expected output as written (line numbers of the source). */
  commands: { prompt: string; text: string; expected: { text: string; line: number }[] }[];
}

/** A `file=` block as the FileBlock component renders it. */
export interface FileView {
  kind: 'file';
  id: string;
  anchor: string;
  /** The file name the reader creates, shown as the title. */
  path: string;
  lang: string;
  session: string;
  lines: CodeToken[][];
  copyText: string;
  notes: string[];
  status: StatusView;
  /** A run in progress (dev server only). */
  live?: LiveView;
  /** Dev server only: read the status and the run in progress again at render time. */
  recheck?: RecheckSource;
  source: string;
}

export type BlockView = TranscriptView | FileView;
