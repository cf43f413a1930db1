/**
 * Whether a session must save its exported environment after a command. The saved copy is only
 * read when a shell is restarted after a timeout, and writing it (`export -p` to a file) is most
 * of what the shell spends on a short command; so it is skipped after a command that provably
 * leaves the exported variables and the folder as they were. "Provably" is read from the
 * command's text alone, without parsing quotes: a word that merely could be a state-changing
 * builtin (`echo waiting for pods` holds `for`) still counts, so every mistake costs a save,
 * never a variable.
 */

/**
 * - `skip`: the command cannot change exported variables or the folder.
 * - `save`: it may (an assignment, `export`, `cd`, `read` …): save after it.
 * - `always`: it may leave behind code that runs later without showing in a later command's
 *   text (a function, an alias, a trap, a sourced file, prompt strings, shell options such as
 *   `set -x`, a replaced shell, a variable that changes by itself, a command whose name the
 *   shell expands and so may be any of these): save after it and after every command that
 *   follows, for the rest of the session.
 */
export type EnvironmentSave = 'skip' | 'save' | 'always';

/** Bounded by characters that cannot be part of a builtin's name as a shell word. */
const word = (names: string[]) => new RegExp(`(?<![\\w-])(?:${names.join('|')})(?![\\w-])`);

const ALWAYS_WORDS = word([
  // Code kept for later: functions, aliases, traps, loadable builtins, files and strings run as code.
  'function',
  'alias',
  'trap',
  'enable',
  'source',
  'eval',
  'fc',
  // Options that change what later commands do (`shopt -s autocd` makes a folder name a `cd`).
  'shopt',
  // Prompt strings are expanded (with `${x:=y}`) around every later command; PROMPT_COMMAND runs.
  'PS0',
  'PS1',
  'PS2',
  'PS4',
  'PROMPT_COMMAND',
  // Variables whose value changes by itself once exported.
  'SECONDS',
  'RANDOM',
  'SRANDOM',
  'LINENO',
  'EPOCHSECONDS',
  'EPOCHREALTIME',
  'BASHPID',
  'HISTCMD',
  'BASH_ARGV0',
  'BASH_COMMAND',
  'BASH_LINENO',
  'BASH_SUBSHELL',
  'BASH_SOURCE',
  'FUNCNAME',
  'PIPESTATUS',
  '_',
  'BASH_FUNC\\w*',
]);

/** `name()` or `name ( )`: a function definition (and the rare empty subshell, counted too). */
const FUNCTION_PARENS = /\(\s*\)/;
/**
 * Builtins that count only as a command's name (`ip netns exec` and `kubectl set` are not
 * them): `set` options change what later commands do (`set -a` exports every assignment,
 * `-H` with `-o history` brings back `!!`), `exec` replaces the shell, `.` runs a file.
 */
const ALWAYS_NAMES = new Set(['set', 'exec', '.']);

const SAVE_WORDS = word([
  'export',
  'declare',
  'typeset',
  'local',
  'readonly',
  'unset',
  'cd',
  'pushd',
  'popd',
  'read',
  'mapfile',
  'readarray',
  'let',
  'getopts',
  'wait',
  'for',
  'select',
  'coproc',
  'compgen',
]);

/** `printf -v NAME`: an assignment without `=`. */
const PRINTF = word(['printf']);
const DASH_V = /\s-v/;
/** Arithmetic that assigns without `=`: `i++`, `--i` in `$((…))`, `((…))`, `$[…]`, `${a[…]}`, `${s:…}`. */
const INCREMENT = /\+\+/;
const DECREMENT = /--/;
const ARITHMETIC = /\(\(|\$\[|\[|\$\{/;

/**
 * How the session saves its exported environment after `command` (see {@link EnvironmentSave}).
 * `readNames` (for tests): read the command names even where the text shows they cannot matter.
 */
export function environmentSaveFor(command: string, readNames = MAY_NAME.test(command)): EnvironmentSave {
  if (ALWAYS_WORDS.test(command) || FUNCTION_PARENS.test(command)) return 'always';
  // A command name is part of the text: with neither `set`, `exec`, `.` nor a character the
  // shell expands anywhere in it, no name can matter, and most commands are read no further.
  const names = readNames ? commandNames(command) : [];
  // A name the shell expands may turn out to be any of them (`x=eval; $x "f() { …; }"`).
  if (names.some((n) => ALWAYS_NAMES.has(n) || EXPANDS.test(n))) return 'always';
  if (command.includes('=') || SAVE_WORDS.test(command) || INCREMENT.test(command)) return 'save';

  if (PRINTF.test(command) && DASH_V.test(command)) return 'save';
  if (DECREMENT.test(command) && ARITHMETIC.test(command)) return 'save';
  return 'skip';
}

/**
 * Whether an environment a shell starts with hands it more than variables: functions (bash
 * imports `BASH_FUNC_name%%`) or shell options (`SHELLOPTS`, `BASHOPTS`: `xtrace`, `allexport` …).
 */
export function inheritsShellState(env: Readonly<Record<string, string | undefined>>): boolean {
  return Object.keys(env).some((k) => k.startsWith('BASH_FUNC_') || k === 'SHELLOPTS' || k === 'BASHOPTS');
}

/** Where a command may start: after an operator, an opening bracket (not `${`), a backtick or a keyword (`)` too, after a `case` pattern). */
const COMMAND_START = /(?:[;&|(!\n`]|(?<!\$)\{|(?<![\w-])(?:then|do|else|elif|if|while|until|time)(?=\s))/g;
const COMMAND_START_CASE = /(?:[;&|()!\n`]|(?<!\$)\{|(?<![\w-])(?:then|do|else|elif|if|while|until|time)(?=\s))/g;
const CASE = word(['case']);
/** Whether a command name could be one of {@link ALWAYS_NAMES} or hold one of {@link EXPANDS}. */
const MAY_NAME = /(?<![\w-])(?:set|exec)(?![\w-])|[.$\\'"`*?[\]{}]/;
/** Characters that make a command name something else once the shell expands it (`$x`, `c\d`, `"c"d`, `{c,}d`, `c?`). */
const EXPANDS = /[$\\'"`*?[\]{}]/;
/** Words before a command's name: redirections (`2>/dev/null`, `> out`), assignments, `command`, `builtin`, `jobs -x` and their options. */
const PREFIX_WORD = /^(?:\d*[<>]|command$|builtin$|jobs$|-|[A-Za-z_]\w*(?:\[[^\]]*\])?\+?=)/;

/**
 * The names of the commands in `command`, as typed: the first word of each command after its
 * redirections, assignments and `command`/`builtin` prefixes. Read without parsing quotes, so
 * it may hold words that are not command names; it misses none.
 */
function commandNames(command: string): string[] {
  const names: string[] = [];
  // A newline in front makes the first command start like every other one.
  const text = `\n${command}`;
  for (const m of text.matchAll(CASE.test(command) ? COMMAND_START_CASE : COMMAND_START)) {
    const rest = text.slice(m.index + m[0].length);
    const words = rest.split(/[;&|()\n`]/, 1)[0]!.trim().split(/\s+/);
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      // What `[[ … ]]` holds is a test, not commands.
      if (w === '[[') break;
      if (w === '' || w === '{' || w === '}' || w === '!') continue;
      if (PREFIX_WORD.test(w)) {
        // An operator alone (`> out`, `2> err`) takes the next word as its target.
        if (/^\d*[<>]+&?$/.test(w)) i++;
        continue;
      }
      // `[` is the test command, not a pattern.
      if (w !== '[') names.push(w);
      break;
    }
  }
  return names;
}
