import { LineCounter, parseDocument, type Document } from 'yaml';
import { LabConfigSchema, type LabConfig } from '../model/lab.ts';
import { didYouMean, type Location, type Problem } from '../model/location.ts';
import { makeProblem } from './problem.ts';
import { allowedKeysAt, describeIssue, type IssueLike } from './zod-issues.ts';
import { findYamlNode, formatYamlPath, locateOffset, locateYaml, type YamlPath } from './yaml-locate.ts';
import { seeGuide } from './guide.ts';

const DOCS = seeGuide('config');

/** The result of reading lab.yaml. */
export interface LabConfigResult {
  /** The validated config; absent when there is any problem. */
  config?: LabConfig;
  problems: Problem[];
  /** The YAML as plain data even when it is invalid, for best-effort checks further on. */
  raw?: unknown;
  /** Locates a path of the config (`['kind', 'config']`) in lab.yaml, for later checks (e.g. missing files). */
  locate: (path: YamlPath, part?: 'key' | 'value') => Location;
}

/** Where the config sits in a larger YAML document (a deck's frontmatter `verify:`). */
export interface ConfigSection {
  /** Key holding the config; paths in problems are located below it. */
  under: string;
  /** Values the section starts from (its own keys win), e.g. the deck's title and target. */
  defaults: Record<string, unknown>;
  /** Keys of the section that are not config keys (read by the caller, left out of validation). */
  extraKeys?: string[];
}

/**
 * Parses and validates lab.yaml (contract §2). Never throws: YAML syntax errors, unknown keys
 * (with a did-you-mean hint), wrong types, bad regexes and target/section mismatches are all
 * returned as problems located at the key or value in the file.
 *
 * With `section`, the config is the mapping under one key of the document (a deck's
 * `verify:`), laid over `section.defaults`; `raw` is then that mapping as written.
 */
export function parseLabConfig(text: string, file: string, section?: ConfigSection): LabConfigResult {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, keepSourceTokens: true, prettyErrors: false, uniqueKeys: true });
  const prefix: YamlPath = section ? [section.under] : [];
  const locate = (path: YamlPath, part: 'key' | 'value' = 'value') => locateYaml(doc, counter, file, [...prefix, ...path], part);
  const problems: Problem[] = doc.errors.map((e) => {
    const opened = findUnclosed(text, e.pos[0], e.message);
    return opened
      ? makeProblem('config', { file, ...opened.at }, `YAML syntax error: ${opened.what} opened here is never closed`, `close it (YAML noticed the problem only at line ${locateOffset(counter, file, e.pos[0]).line})`)
      : makeProblem('config', locateOffset(counter, file, e.pos[0]), `YAML syntax error: ${e.message.split('\n')[0]}`, yamlHint(e.code));
  });
  if (problems.length > 0) return { problems, locate };

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { problems: [makeProblem('config', { file, line: 1, column: 1 }, `cannot read lab.yaml: ${e instanceof Error ? e.message : String(e)}`)], locate };
  }
  if (section) {
    const own = isMapping(raw) ? raw[section.under] : undefined;
    if (own !== undefined && own !== null && !isMapping(own)) {
      return { problems: [makeProblem('config', locate([]), `${section.under}: must be a mapping of keys`, `write the keys of lab.yaml under ${section.under}: ${DOCS}`)], raw: own, locate };
    }
    const rest: Record<string, unknown> = { ...(own ?? {}) };
    for (const k of section.extraKeys ?? []) delete rest[k];
    raw = { ...section.defaults, ...rest };
  }
  if (!isMapping(raw)) {
    const what = raw === null || raw === undefined ? 'lab.yaml is empty' : 'lab.yaml must be a mapping of keys';
    return { problems: [makeProblem('config', locate([]), what, `start with title: and target: ${DOCS}`)], raw, locate };
  }

  const where = section ? `${section.under}:` : 'lab.yaml';
  const parsed = LabConfigSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues as IssueLike[]) problems.push(...issueProblems(issue, doc, prefix, where, file, locate));
  }
  problems.push(...checkTargetSections(raw, locate));
  problems.push(...checkVolatilePatterns(raw, locate));
  problems.push(...checkSessionCwds(raw, locate));
  problems.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
  return problems.length === 0 && parsed.success ? { config: parsed.data, problems, raw, locate } : { problems, raw, locate };
}

/** One zod issue as problems at the YAML node it is about (one per unknown key). */
function issueProblems(issue: IssueLike, doc: Document, prefix: YamlPath, top: string, file: string, locate: LabConfigResult['locate']): Problem[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(LabConfigSchema, path);
    const where = path.length === 0 ? top : formatYamlPath(path);
    return (issue.keys ?? []).map((key) => {
      const guess = didYouMean(key, allowed);
      return makeProblem('config', locate([...path, key], 'key'), `unknown key "${key}" in ${where}`, guess ? `did you mean "${guess}"? ${DOCS}` : `allowed keys: ${allowed.join(', ')} ${DOCS}`);
    });
  }
  const found = findYamlNode(doc, [...prefix, ...path]);
  if (!found.complete) {
    // A required key is missing: point at the mapping that should hold it.
    const parent = path.slice(0, -1);
    const key = String(path[path.length - 1]);
    const at = parent.length === 0 && prefix.length === 0 ? { file, line: 1, column: 1 } : locate(parent, 'key');
    return [makeProblem('config', at, `missing key "${key}" in ${parent.length === 0 ? top : formatYamlPath(parent)}`, `add ${key}: … ${DOCS}`)];
  }
  const sourceText = found.value?.srcToken && 'source' in found.value.srcToken ? String(found.value.srcToken.source) : undefined;
  const { message, hint } = describeIssue(issue, valueAt(doc, [...prefix, ...path]), sourceText);
  const part = issue.code === 'invalid_key' ? 'key' : 'value';
  return [makeProblem('config', locate(path, part), message, hint)];
}

function valueAt(doc: Document, path: YamlPath): unknown {
  const node = findYamlNode(doc, path).value;
  return node && 'toJSON' in node && typeof node.toJSON === 'function' ? node.toJSON() : undefined;
}

/** `kind:` belongs to target kind only, `requires:` to target local only (contract §2). */
function checkTargetSections(raw: Record<string, unknown>, locate: LabConfigResult['locate']): Problem[] {
  const problems: Problem[] = [];
  if (raw.target === 'kind' && raw.kind === undefined) {
    problems.push(makeProblem('config', locate(['target']), 'target kind needs a kind: section', `add kind: { config: kind.yaml } ${DOCS}`));
  }
  if (raw.target === 'local' && raw.kind !== undefined) {
    problems.push(makeProblem('config', locate(['kind'], 'key'), 'kind: is only for target kind', 'remove it, or set target: kind'));
  }
  if (raw.target === 'kind' && raw.requires !== undefined) {
    problems.push(makeProblem('config', locate(['requires'], 'key'), 'requires: is only for target local', 'a kind lab pins what it needs under tools:'));
  }
  return problems;
}

/** Volatile patterns must compile as JS regexes (u flag), must not match the empty string, and names are unique. */
/**
 * YAML notices an unclosed quote or flow collection only where the document ends; the author
 * needs the line where it was opened: the nearest line before that point where it is unbalanced.
 */
function findUnclosed(text: string, offset: number, message: string): { at: { line: number; column: number }; what: string } | undefined {
  const quote = /Missing closing (["'])quote/.exec(message)?.[1];
  const flow = /Flow (sequence|map) in block collection/.exec(message)?.[1];
  const [open, close, what] = quote ? [quote, quote, `the ${quote === '"' ? 'double' : 'single'} quote`] : flow === 'sequence' ? ['[', ']', 'the ['] : flow === 'map' ? ['{', '}', 'the {'] : [];
  if (!open || !close || !what) return undefined;
  const lines = text.slice(0, offset).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = (lines[i] ?? '').replace(/\s#.*$/, '');
    const count = (c: string) => l.split(c).length - 1;
    const unbalanced = open === close ? count(open) % 2 === 1 : count(open) > count(close);
    if (unbalanced) return { at: { line: i + 1, column: (open === close ? l.lastIndexOf(open) : l.indexOf(open)) + 1 }, what };
  }
  return undefined;
}

/** A session's `cwd:` is a folder inside the lab's work folder: never absolute, never up with `..`. */
function checkSessionCwds(raw: Record<string, unknown>, locate: LabConfigResult['locate']): Problem[] {
  const problems: Problem[] = [];
  if (!isMapping(raw.sessions)) return problems;
  for (const [name, def] of Object.entries(raw.sessions)) {
    const cwd = isMapping(def) ? def.cwd : undefined;
    if (typeof cwd !== 'string') continue;
    const at = locate(['sessions', name, 'cwd']);
    if (cwd.startsWith('/') || cwd.startsWith('~') || /^[A-Za-z]:[\\/]/.test(cwd)) {
      problems.push(makeProblem('config', at, `sessions.${name}.cwd "${cwd}" is an absolute path`, `give a folder relative to the lab's work folder, where the runner may write ${DOCS}`));
    } else if (cwd.split(/[\\/]/).includes('..')) {
      problems.push(makeProblem('config', at, `sessions.${name}.cwd "${cwd}" leaves the lab's work folder`, `remove the ".." parts: the runner starts sessions and writes files only inside the work folder ${DOCS}`));
    }
  }
  return problems;
}

function checkVolatilePatterns(raw: Record<string, unknown>, locate: LabConfigResult['locate']): Problem[] {
  const problems: Problem[] = [];
  if (!Array.isArray(raw.volatile)) return problems;
  const names = new Map<string, number>();
  raw.volatile.forEach((v: unknown, i: number) => {
    if (typeof v === 'string' && names.has(v)) problems.push(makeProblem('config', locate(['volatile', i]), `volatile class "${v}" is named twice`, `the first is volatile[${names.get(v)}]; remove one`));
    if (typeof v === 'string') names.set(v, i);
    if (typeof v !== 'object' || v === null) return;
    const { name, pattern } = v as { name?: unknown; pattern?: unknown };
    if (typeof name === 'string') {
      if (names.has(name)) problems.push(makeProblem('config', locate(['volatile', i, 'name']), `volatile class "${name}" is defined twice`, `the first is volatile[${names.get(name)}]; rename or remove one`));
      else names.set(name, i);
    }
    if (typeof pattern !== 'string' || pattern === '') return;
    let re: RegExp;
    try {
      re = new RegExp(pattern, 'u');
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      problems.push(makeProblem('config', locate(['volatile', i, 'pattern']), `bad regex in volatile[${i}].pattern: ${reason}`, 'patterns are JavaScript regular expressions with the u flag; escape special characters with \\ (in double-quoted YAML, \\\\)'));
      return;
    }
    if (re.test('')) {
      problems.push(makeProblem('config', locate(['volatile', i, 'pattern']), `volatile[${i}].pattern matches the empty string`, 'a volatile token must have at least one character: use + instead of *, or remove optional-only patterns'));
    }
  });
  return problems;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function yamlHint(code: string): string {
  if (code === 'DUPLICATE_KEY') return 'each key may appear once in a mapping';
  if (code === 'BAD_INDENT' || code === 'MISSING_CHAR') return 'check the indentation and that every "key:" has its colon';
  if (code === 'BLOCK_AS_IMPLICIT_KEY') return 'a value that contains ": " must be quoted';
  return 'lab.yaml must be valid YAML';
}
