import type { Location } from './location.ts';

/** How a command's actual output is compared with the expected output. */
export type OutputMode = 'exact' | 'contains' | 'unordered' | 'ignore';

/** Options of a ```console block, from its fence meta string (contract §3). */
export interface BlockOptions {
  /** Session the commands are typed into. @default "host" */
  session: string;
  /** The block's (interactive) command opens this session. */
  opens?: string;
  /** Shown, never run; the reason is shown and counted. */
  skip?: string;
  /** @default "exact" */
  output: OutputMode;
  /** Re-run the whole block until it matches or this many milliseconds pass. */
  waitMs?: number;
  /** Per-command timeout in milliseconds. @default 60000 */
  timeoutMs: number;
  /** Expected exit status of the last command. @default 0 */
  exit: number | 'any';
  /** The command keeps running until its step ends; output is not compared. */
  background: boolean;
  /**
   * For a `background` command: what shows it is ready — a TCP port listening on the session's
   * own host, a path that exists, or a line it prints. The block waits for it (up to `timeout=`)
   * and fails, with the command's log, if the command exits first or never gets there. Extension.
   */
  ready?: ReadyProbe;
  /** Stable id used in records, reports and anchors; derived when absent. */
  id?: string;
}

/** `ready=` of a background block: `ready=8080` (a port), `ready=/run/app.sock` (a path), `ready="Serving HTTP"` (a line of its output). */
export type ReadyProbe = { kind: 'port'; port: number } | { kind: 'path'; path: string } | { kind: 'line'; text: string };

export const DEFAULT_TIMEOUT_MS = 60_000;

/** One line of expected output, as written in the source. */
export interface ExpectedLine {
  /** The text without the trailing newline. `...` alone is an elision. */
  text: string;
  /** 1-based line number in the source file. */
  line: number;
}

/** One command of a transcript with what it should print. */
export interface Command {
  /** The prompt as written (e.g. `$ `). */
  prompt: string;
  /**
   * The command as the reader types it: continuation lines (ending in `\`) and here-documents
   * included, joined with `\n`, prompt removed.
   */
  text: string;
  /** Source lines the command occupies (first line of the prompt, count of lines). */
  line: number;
  lineCount: number;
  expected: ExpectedLine[];
}

interface BlockBase {
  /** Stable id: the `id=` option, or derived from file + position (e.g. `02-services-3`). */
  id: string;
  /** Step file, relative to the lab folder's parent project when possible. */
  file: string;
  /** Line of the opening fence. */
  line: number;
  /** Line of the closing fence. */
  endLine: number;
  /** Language of the fence (`console`, `yaml`, …). */
  lang: string;
  /** Raw meta string of the fence. */
  meta: string;
  /** The block's raw body (between the fences), exactly as in the source. */
  body: string;
}

/** A ```console transcript. */
export interface CommandBlock extends BlockBase {
  kind: 'command';
  options: BlockOptions;
  commands: Command[];
}

/** A fenced block with `file=PATH`: written into the session's cwd before the next command block of its step. */
export interface FileBlock extends BlockBase {
  kind: 'file';
  path: string;
  /** Session whose working directory receives the file. @default "host" */
  session: string;
  content: string;
}

export type Block = CommandBlock | FileBlock;

/** One step file of a lab. */
export interface Step {
  /** File path as shown to users. */
  file: string;
  /** Absolute path. */
  absPath: string;
  /** File name without extension, e.g. `02-services`. */
  slug: string;
  /** Frontmatter `title`, or the first heading, or the slug. */
  title: string;
  blocks: Block[];
  /** `hashSource` of the text the blocks were parsed from (absent for steps built in memory). */
  sourceHash?: string;
}

export function blockLocation(b: { file: string; line: number }): Location {
  return { file: b.file, line: b.line, column: 1 };
}
