import { DEFAULT_TIMEOUT_MS, type Block, type BlockOptions, type CommandBlock, type FileBlock } from '../model/block.ts';
import { DEFAULT_HOST_PROMPT, HOST_SESSION, type SessionDef } from '../model/lab.ts';
import { didYouMean, type Location, type Problem } from '../model/location.ts';
import { checkVolatileMarkers } from './markers.ts';
import { META_KEYS, parseMetaOptions, type MetaOptions, type MetaToken } from './meta-options.ts';
import { makeProblem } from './problem.ts';
import { parseTranscript } from './transcript.ts';

/** A fenced code node as the Markdown parser gives it. */
export interface CodeNode {
  lang?: string | null;
  meta?: string | null;
  value: string;
  /** Line of the opening fence. */
  line: number;
  /** Line of the closing fence. */
  endLine: number;
  /** Column of the opening fence (fences indented in lists or block quotes). @default 1 */
  column?: number;
  /** Source text of the opening fence line, to locate options by column. */
  fenceLine?: string;
}

/** What a block needs to know about the page and lab around it. */
export interface CodeBlockContext {
  /** File as shown to users. */
  file: string;
  /** `sessions` of lab.yaml. */
  sessions: Record<string, SessionDef>;
  /** 1-based position of the block among the file's blocks, for derived ids. */
  index: number;
  /** File name without extension, for derived ids. */
  slug: string;
  /** Sessions opened by an `opens=` earlier in the lab; they are known even if lab.yaml lacks them. */
  opened?: ReadonlySet<string>;
}

/** Language of command blocks (contract §3). */
export const CONSOLE_LANG = 'console';
const FILE_BLOCK_KEYS = new Set(['file', 'session', 'id']);

/**
 * Turns one fenced code node into a block: a ```console fence is a CommandBlock, a fence with
 * `file=PATH` is a FileBlock, any other fence is plain code and gives nothing. Never throws.
 */
export function parseCodeBlock(node: CodeNode, ctx: CodeBlockContext): { block?: Block; problems: Problem[] } {
  // ``` file=a.txt (no language) puts the option where the language goes.
  let lang = node.lang ?? '';
  let meta = node.meta ?? '';
  if (lang.includes('=')) {
    meta = meta ? `${lang} ${meta}` : lang;
    lang = '';
  }
  const isConsole = lang === CONSOLE_LANG;
  if (!isConsole && !/(^|\s)file=/.test(meta)) return { problems: [] };

  const metaAt: Location = { file: ctx.file, line: node.line, column: findMetaColumn(node, lang, meta) };
  const { options, problems, tokens } = parseMetaOptions(meta, metaAt);
  const column = (key: string) => tokens.find((t) => t.key === key)?.column ?? metaAt.column;
  const at = (key: string): Location => ({ ...metaAt, column: column(key) });
  const base = { file: ctx.file, line: node.line, endLine: node.endLine, lang, meta, body: node.value };
  const session = options.session ?? HOST_SESSION;
  checkSession(session, 'session', tokens, at, ctx, problems);

  if (!isConsole) {
    for (const t of tokens) {
      // Unknown keys were reported by parseMetaOptions already; here only console options.
      if (!FILE_BLOCK_KEYS.has(t.key) && (META_KEYS as readonly string[]).includes(t.key)) {
        problems.push(makeProblem('parse', at(t.key), `option "${t.key}" does not apply to a file block`, 'a file block takes file=, session= and id='));
      }
    }
    if (options.file === undefined) return { problems };
    const block: FileBlock = {
      ...base,
      kind: 'file',
      id: options.id ?? `${ctx.slug}-${ctx.index}`,
      path: options.file,
      session,
      content: node.value === '' ? '' : `${node.value}\n`,
    };
    return { block, problems };
  }

  if (tokens.some((t) => t.key === 'file')) {
    problems.push(makeProblem('parse', at('file'), 'file= does not apply to a console block', 'give the fence the language of the file instead, e.g. ```yaml file=service.yaml'));
  }
  checkOpens(options, at, ctx, session, problems);
  if (options.waitMs !== undefined && options.background) {
    problems.push(makeProblem('parse', at('wait'), 'wait= cannot be combined with background', 'a background command is never compared; to wait until it is up, use ready= (a port, a path or a line it prints)'));
  }
  if (options.ready !== undefined && !options.background) {
    problems.push(makeProblem('parse', at('ready'), 'ready= is for background blocks', 'add background, or remove ready='));
  }

  const known = promptOf(session, ctx.sessions);
  const prompts = known ? [known] : allPrompts(ctx.sessions);
  const fenceColumn = node.column ?? 1;
  const def = ctx.sessions[session];
  const repl = def?.repl ? { repl: true, ...(def.continuation ? { continuation: def.continuation } : {}) } : {};
  const transcript = parseTranscript(node.value, { prompts, firstLine: node.line + 1, file: ctx.file, column: fenceColumn, ...repl });
  problems.push(...transcript.problems.map((p) => hintOtherSession(p, node, session, ctx.sessions)));
  if (transcript.commands.length === 0 && transcript.problems.length === 0) {
    problems.push(makeProblem('parse', { file: ctx.file, line: node.line, column: fenceColumn }, 'console block has no command', `start each command line with the session prompt ${JSON.stringify(prompts[0] ?? DEFAULT_HOST_PROMPT)}, or use another language for plain code`));
  }
  for (const c of transcript.commands) problems.push(...checkVolatileMarkers(c.expected, ctx.file, fenceColumn));

  // Without `file` (reported above): left out, not deleted afterwards, since deleting a property
  // turns the object V8 makes into a slower dictionary for everything that reads it later.
  const { file: _file, ...rest } = options;
  const blockOptions: BlockOptions = {
    ...rest,
    session,
    output: options.output ?? 'exact',
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    exit: options.exit ?? 0,
    background: options.background ?? false,
  };
  const block: CommandBlock = {
    ...base,
    kind: 'command',
    id: options.id ?? `${ctx.slug}-${ctx.index}`,
    options: blockOptions,
    commands: transcript.commands,
  };
  return { block, problems };
}

/** The prompt of a session: lab.yaml's, or `$ ` for `host`. */
export function promptOf(session: string, sessions: Record<string, SessionDef>): string | undefined {
  if (Object.hasOwn(sessions, session)) return sessions[session]?.prompt;
  return session === HOST_SESSION ? DEFAULT_HOST_PROMPT : undefined;
}

/** Output before the first command is most often a transcript of another session: name it. */
function hintOtherSession(p: Problem, node: CodeNode, session: string, sessions: Record<string, SessionDef>): Problem {
  if (p.message !== 'output before the first command') return p;
  const text = node.value.split(/\r?\n/)[p.location.line - node.line - 1] ?? '';
  const candidates = Object.entries({ [HOST_SESSION]: { prompt: DEFAULT_HOST_PROMPT }, ...sessions })
    .filter(([name, def]) => name !== session && text.startsWith(def.prompt))
    .sort(([, a], [, b]) => b.prompt.length - a.prompt.length);
  const other = candidates[0]?.[0];
  if (other === undefined) return p;
  const fix = other === HOST_SESSION ? 'remove session= (or set session=host)' : `add session=${other} to the fence`;
  return { ...p, hint: `this line starts with the prompt of session "${other}": ${fix}` };
}

/** Every prompt of the lab: used for a block whose session is unknown, to avoid a cascade of problems. */
function allPrompts(sessions: Record<string, SessionDef>): string[] {
  return [DEFAULT_HOST_PROMPT, ...Object.values(sessions).map((s) => s.prompt)];
}

function checkSession(
  session: string,
  key: string,
  tokens: MetaToken[],
  at: (key: string) => Location,
  ctx: CodeBlockContext,
  problems: Problem[],
): void {
  if (!tokens.some((t) => t.key === key)) return;
  if (promptOf(session, ctx.sessions) !== undefined || ctx.opened?.has(session)) return;
  const candidates = [HOST_SESSION, ...Object.keys(ctx.sessions)];
  const guess = didYouMean(session, candidates);
  problems.push(
    makeProblem('parse', at(key), `unknown session "${session}"`, guess ? `did you mean "${guess}"?` : `define it under sessions: in lab.yaml (in a deck: under verify.sessions: in its frontmatter) with its prompt (known: ${candidates.join(', ')})`),
  );
}

function checkOpens(options: MetaOptions, at: (key: string) => Location, ctx: CodeBlockContext, session: string, problems: Problem[]): void {
  const opens = options.opens;
  if (opens === undefined) return;
  if (opens === HOST_SESSION) {
    problems.push(makeProblem('parse', at('opens'), 'opens=host: the host session always exists', 'name the session the command opens, e.g. opens=client'));
  } else if (opens === session) {
    problems.push(makeProblem('parse', at('opens'), `a block cannot open the session "${opens}" it types into`, 'the command runs in session=, the shell it starts is opens='));
  } else if (!Object.hasOwn(ctx.sessions, opens)) {
    problems.push(makeProblem('parse', at('opens'), `session "${opens}" opened here is not defined in lab.yaml`, `add it under sessions: with its prompt, e.g. ${opens}: { prompt: "/ # " }`));
  }
}

/** Column of the meta string in the fence line, so option problems point at the option. */
function findMetaColumn(node: CodeNode, lang: string, meta: string): number {
  const base = node.column ?? 1;
  const line = node.fenceLine;
  if (line === undefined || meta === '') return base;
  const fenceEnd = /^[\s>]*(`{3,}|~{3,})/.exec(line)?.[0].length ?? 0;
  const langAt = lang ? line.indexOf(lang, fenceEnd) : -1;
  const from = langAt >= 0 ? langAt + lang.length : fenceEnd;
  const first = meta.trimStart().split(/\s/)[0] ?? '';
  const index = line.indexOf(first, Math.max(0, from));
  return index >= 0 ? index + 1 : base;
}
