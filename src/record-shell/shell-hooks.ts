/**
 * How the recording shell tells `labs record` what happens in it: bash prints invisible OSC
 * escape sequences (`ESC ] 6973 ; <nonce> ; <kind> … BEL`) at three moments:
 * - `P` before each prompt (the shell is ready for the author);
 * - `C` once a command line was read, before it runs (`PS0`): what follows is its output;
 * - `D;<status>;<base64 of the history entry>` when it finished (`PROMPT_COMMAND`).
 * The command's text comes from bash's own history, so line editing, pasting and
 * continuation lines end up as the command bash ran, not as the keys that were pressed.
 * The nonce keeps a program's output from faking a marker.
 */

/** The OSC number of the markers (unused by terminals, which ignore unknown OSC strings). */
const OSC = '6973';

/** One command the author ran in the recording shell. */
export interface RecordedCommand {
  /** The command as bash ran it (continuations joined, here-documents with their lines), without the prompt. */
  command: string;
  /** What the terminal showed while it ran, raw (escape sequences, `\r\n`). */
  output: string;
  /** Its exit status. */
  exitCode: number;
  /** The output passed the size limit and was cut. */
  cut: boolean;
}

/** The most output one recorded command keeps; a command over it is reported, not written. */
export const RECORD_OUTPUT_LIMIT = 256 * 1024;

/**
 * The line typed into a fresh bash to turn recording on: prompt set to `prompt`, history kept
 * in memory only (never written to the author's history file), and the markers above. Ends
 * with a `P` marker; a shell that is not bash prints an `X` marker instead and nothing else
 * works, so the recorder can say so.
 */
export function buildSetupLine(nonce: string, prompt: string): string {
  const esc = (kind: string) => `\\e]${OSC};${nonce};${kind}\\a`;
  // With promptvars off only backslash escapes are expanded: a `$` in the prompt stays a `$`.
  const ps1 = `\\[${esc('P')}\\]${prompt.replaceAll('\\', '\\\\')}`;
  const promptCommand = `__lr_s=$?; printf '\\e]${OSC};${nonce};D;%s;%s\\a' "$__lr_s" "$(HISTTIMEFORMAT= builtin history 1 | base64 -w0)"`;
  // The check goes on a line of its own: another shell reads a whole line before running it,
  // and the bash syntax below would stop it before it could say it is not bash.
  const check = ` [ -n "$BASH_VERSION" ] || { printf '${esc('X')}'; exit 97; }\n`;
  const parts = [
    'shopt -s cmdhist',
    'shopt -u lithist promptvars',
    'unset HISTFILE HISTCONTROL HISTIGNORE HISTTIMEFORMAT',
    'set -o history',
    `PS0=${quote(esc('C'))}`,
    `PS1=${quote(ps1)}`,
    `PS2='> '`,
    `PROMPT_COMMAND=${quote(promptCommand)}`,
    // Commands write into a pipe, as in a run, not into the terminal: `ls` prints one name a
    // line, programs that colour or size their output for a terminal do not. The prompt and
    // the markers go through the same pipe, so they stay in order with the output. Keys are
    // still read from the terminal. Without job control, `&` is silent as it is in a run.
    'set +m',
    "exec > >(trap '' INT QUIT TSTP; exec cat) 2>&1",
    'history -c',
  ];
  return `${check} ${parts.join('; ')}\n`;
}

function quote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** What the marker stream saw in one chunk of terminal output. */
export type ShellEvent = { kind: 'prompt' } | { kind: 'not-bash' } | { kind: 'command'; recorded: RecordedCommand };

/**
 * Reads the recording shell's terminal output: returns what to show the author (markers taken
 * out, and nothing before the first prompt, which is the setup line) and reports commands as
 * they finish. A marker split across chunks is held back until it is whole.
 */
export class ShellMarkerStream {
  private readonly start: string;
  private readonly listener: ((e: ShellEvent) => void) | undefined;
  private held = '';
  private ready = false;
  private running: { parts: string[]; size: number; cut: boolean } | undefined;
  /** While true, nothing is shown (the shell is busy with commands the author did not type). */
  muted = false;

  /** @param listener called for each event as it is found, before the text after it is read (so it can mute or unmute that text) */
  constructor(nonce: string, listener?: (e: ShellEvent) => void) {
    this.start = `\x1b]${OSC};${nonce};`;
    this.listener = listener;
  }

  /** Feeds terminal output; returns the text to show and the events in it, in order. */
  feed(chunk: string): { show: string; events: ShellEvent[] } {
    let text = this.held + chunk;
    this.held = '';
    let show = '';
    const events: ShellEvent[] = [];
    for (;;) {
      const at = text.indexOf(this.start);
      if (at < 0) {
        // Hold back a tail that could be the beginning of a marker.
        const keep = partialSuffix(text, this.start);
        this.pass(text.slice(0, text.length - keep), (s) => (show += s));
        this.held = text.slice(text.length - keep);
        break;
      }
      const end = text.indexOf('\x07', at + this.start.length);
      if (end < 0) {
        this.pass(text.slice(0, at), (s) => (show += s));
        this.held = text.slice(at);
        break;
      }
      this.pass(text.slice(0, at), (s) => (show += s));
      const event = this.onMarker(text.slice(at + this.start.length, end));
      if (event) {
        events.push(event);
        this.listener?.(event);
      }
      text = text.slice(end + 1);
    }
    return { show, events };
  }

  private pass(text: string, show: (s: string) => void): void {
    if (text === '') return;
    if (this.ready && !this.muted) show(text);
    const r = this.running;
    if (!r || r.cut) return;
    if (r.size + text.length > RECORD_OUTPUT_LIMIT) {
      r.cut = true;
      return;
    }
    r.parts.push(text);
    r.size += text.length;
  }

  private onMarker(body: string): ShellEvent | undefined {
    const [kind, status, encoded] = body.split(';');
    if (kind === 'X') return { kind: 'not-bash' };
    if (kind === 'P') {
      this.ready = true;
      return { kind: 'prompt' };
    }
    if (kind === 'C') {
      this.running = { parts: [], size: 0, cut: false };
      return undefined;
    }
    if (kind === 'D') {
      const r = this.running;
      this.running = undefined;
      // A prompt after an empty line, Ctrl-C at the prompt or the setup line: no command ran.
      if (!r) return undefined;
      const entry = Buffer.from(encoded ?? '', 'base64').toString('utf8');
      const command = entry.replace(/^\s*\d+\*?\s{2}/, '').replace(/\n+$/, '');
      if (command.trim() === '') return undefined;
      return { kind: 'command', recorded: { command, output: r.parts.join(''), exitCode: Number(status), cut: r.cut } };
    }
    return undefined;
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of `token`. */
function partialSuffix(text: string, token: string): number {
  for (let n = Math.min(token.length - 1, text.length); n > 0; n--) if (text.endsWith(token.slice(0, n))) return n;
  return 0;
}
