import type { BlockOptions, OutputMode } from '../model/block.ts';
import { didYouMean, type Location, type Problem } from '../model/location.ts';
import { parseDuration } from './duration.ts';
import { makeProblem } from './problem.ts';
import { seeGuide } from './guide.ts';

/** Options read from a fence meta string: the block options given, plus `file=` of file blocks. */
export interface MetaOptions extends Partial<BlockOptions> {
  /** `file=PATH`: the block is a file the reader creates. */
  file?: string;
}

/** One `key`, `key=value` or `key="value"` of a meta string, as written. */
export interface MetaToken {
  key: string;
  /** Unquoted value; undefined for a bare flag. */
  value?: string;
  /** 1-based column of the key in the source line. */
  column: number;
}

/** Every option key the meta string of a ```console or `file=` block may hold (contract §3). */
export const META_KEYS = ['session', 'opens', 'skip', 'output', 'wait', 'timeout', 'exit', 'background', 'ready', 'id', 'file'] as const;

const OUTPUT_MODES: readonly OutputMode[] = ['exact', 'contains', 'unordered', 'ignore'];
const NAME = /^[A-Za-z][\w-]*$/;
const ID = /^[A-Za-z0-9_-]+$/;
const DOCS = seeGuide('options');

type Verdict = { ok: MetaOptions } | { error: string; hint?: string };
type Validate = (value: string | undefined, key: string) => Verdict;

/**
 * Parses a fence meta string such as `session=node output=contains wait=30s` (contract §3).
 * Never throws: every bad token, unknown key or bad value becomes a problem located at the
 * column of its option, and parsing goes on with the next token.
 * @param at where the meta string starts in the source (fence line, column of its first character)
 */
export function parseMetaOptions(
  meta: string,
  at: Location,
): { options: MetaOptions; problems: Problem[]; tokens: MetaToken[] } {
  const { tokens, problems } = tokenizeMeta(meta, at);
  const options: MetaOptions = {};
  const seen = new Map<string, number>();
  for (const t of tokens) {
    const where = { ...at, column: t.column };
    // Own keys only: `toString` or `constructor` is an unknown option, not Object.prototype's.
    const validate = Object.hasOwn(VALIDATORS, t.key) ? VALIDATORS[t.key] : undefined;
    if (!validate) {
      const guess = didYouMean(t.key, META_KEYS);
      problems.push(
        makeProblem('parse', where, `unknown option "${t.key}"`, guess ? `did you mean "${guess}"? ${DOCS}` : `options are ${META_KEYS.join(', ')} ${DOCS}`),
      );
      continue;
    }
    if (seen.has(t.key)) {
      problems.push(makeProblem('parse', where, `option "${t.key}" is given twice`, `keep one (the first is at column ${seen.get(t.key)})`));
      continue;
    }
    seen.set(t.key, t.column);
    const verdict = validate(t.value, t.key);
    if ('error' in verdict) problems.push(makeProblem('parse', where, verdict.error, verdict.hint));
    else Object.assign(options, verdict.ok);
  }
  return { options, problems, tokens };
}

/** Splits a meta string into key/value tokens; syntax errors become problems. */
function tokenizeMeta(meta: string, at: Location): { tokens: MetaToken[]; problems: Problem[] } {
  const tokens: MetaToken[] = [];
  const problems: Problem[] = [];
  let i = 0;
  while (i < meta.length) {
    if (/\s/.test(meta[i]!)) {
      i++;
      continue;
    }
    const start = i;
    while (i < meta.length && meta[i] !== '=' && !/\s/.test(meta[i]!)) i++;
    const key = meta.slice(start, i);
    const column = at.column + start;
    let value: string | undefined;
    let broken = false;
    if (meta[i] === '=') {
      i++;
      const quote = meta[i];
      if (quote === '"' || quote === "'") {
        const read = readQuoted(meta, i);
        if (read.end < 0) {
          problems.push(makeProblem('parse', { ...at, column: at.column + i }, `unclosed ${quote === '"' ? 'double' : 'single'} quote in option "${key}"`, `close it with ${quote}`));
          i = meta.length;
          broken = true;
        } else {
          value = read.value;
          i = read.end;
          if (i < meta.length && !/\s/.test(meta[i]!)) {
            problems.push(makeProblem('parse', { ...at, column: at.column + i }, `expected a space after the quoted value of "${key}"`, 'separate options with spaces'));
            while (i < meta.length && !/\s/.test(meta[i]!)) i++;
            broken = true;
          }
        }
      } else {
        const vStart = i;
        while (i < meta.length && !/\s/.test(meta[i]!)) i++;
        value = meta.slice(vStart, i);
      }
    }
    if (broken) continue;
    if (!NAME.test(key)) {
      problems.push(makeProblem('parse', { ...at, column }, `"${meta.slice(start, i)}" is not an option`, `write options as key=value, key="quoted value" or a bare flag ${DOCS}`));
      continue;
    }
    tokens.push(value === undefined ? { key, column } : { key, value, column });
  }
  return { tokens, problems };
}

/** Reads a quoted value starting at the quote; `\"` and `\\` are escapes inside double quotes. */
function readQuoted(s: string, open: number): { value: string; end: number } {
  const quote = s[open];
  let value = '';
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i]!;
    if (quote === '"' && c === '\\' && (s[i + 1] === '"' || s[i + 1] === '\\')) {
      value += s[i + 1];
      i++;
    } else if (c === quote) {
      return { value, end: i + 1 };
    } else {
      value += c;
    }
  }
  return { value, end: -1 };
}

function needValue(key: string, example: string): Verdict {
  return { error: `option "${key}" needs a value`, hint: `write ${key}=${example}` };
}

function sessionName(key: 'session' | 'opens'): Validate {
  return (v) => {
    if (v === undefined || v === '') return needValue(key, 'NAME');
    if (!NAME.test(v)) return { error: `bad session name "${v}" in ${key}=`, hint: 'session names are letters, digits, - and _, starting with a letter' };
    return { ok: { [key]: v } };
  };
}

function duration(key: 'wait' | 'timeout', field: 'waitMs' | 'timeoutMs'): Validate {
  return (v) => {
    if (v === undefined || v === '') return needValue(key, '30s');
    const ms = parseDuration(v);
    if (ms === undefined) return { error: `bad duration "${v}" in ${key}=`, hint: 'use a whole number with ms, s, m or h, e.g. 500ms, 30s, 5m' };
    if (ms === 0) return { error: `${key}= must be longer than 0`, hint: `e.g. ${key}=30s` };
    return { ok: { [field]: ms } };
  };
}

const VALIDATORS: Record<string, Validate> = {
  session: sessionName('session'),
  opens: sessionName('opens'),
  skip: (v) => (v === undefined || v.trim() === '' ? { error: 'skip needs a reason', hint: 'write skip="why this block is not run"; the reason is shown on the page' } : { ok: { skip: v } }),
  output: (v) => {
    if (v === undefined || v === '') return needValue('output', 'contains');
    if (!(OUTPUT_MODES as readonly string[]).includes(v)) {
      const guess = didYouMean(v, OUTPUT_MODES);
      return { error: `bad output mode "${v}"`, hint: guess ? `did you mean "${guess}"?` : `use one of ${OUTPUT_MODES.join(', ')}` };
    }
    return { ok: { output: v as OutputMode } };
  },
  wait: duration('wait', 'waitMs'),
  timeout: duration('timeout', 'timeoutMs'),
  exit: (v) => {
    if (v === undefined || v === '') return needValue('exit', '1');
    if (v === 'any') return { ok: { exit: 'any' } };
    if (/^\d{1,3}$/.test(v) && Number(v) <= 255) return { ok: { exit: Number(v) } };
    return { error: `bad exit status "${v}"`, hint: 'use a number from 0 to 255, or any' };
  },
  background: (v) => {
    if (v === undefined || v === 'true') return { ok: { background: true } };
    if (v === 'false') return { ok: { background: false } };
    return { error: `background is a flag and takes no value "${v}"`, hint: 'write just background' };
  },
  ready: (v) => {
    if (v === undefined || v.trim() === '') return needValue('ready', '8080');
    const port = /^:?(\d{1,5})$/.exec(v);
    if (port) {
      const n = Number(port[1]);
      return n >= 1 && n <= 65535 ? { ok: { ready: { kind: 'port', port: n } } } : { error: `bad port "${v}" in ready=`, hint: 'a port is 1 to 65535' };
    }
    if (v.startsWith('/') || v.startsWith('./')) return { ok: { ready: { kind: 'path', path: v } } };
    return { ok: { ready: { kind: 'line', text: v } } };
  },
  id: (v) => {
    if (v === undefined || v === '') return needValue('id', 'my-block');
    if (!ID.test(v)) return { error: `bad id "${v}"`, hint: 'ids are letters, digits, - and _' };
    return { ok: { id: v } };
  },
  file: (v) => {
    if (v === undefined || v.trim() === '') return needValue('file', 'service.yaml');
    if (v.startsWith('/') || /^[A-Za-z]:[\\/]/.test(v)) return { error: `file="${v}" is an absolute path`, hint: "give a path relative to the session's working directory" };
    if (v.split(/[\\/]/).includes('..')) return { error: `file="${v}" leaves the session's working directory`, hint: 'remove the ".." parts' };
    return { ok: { file: v } };
  },
};
