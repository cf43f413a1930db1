import { didYouMean } from '../model/location.ts';
import { formatYamlPath, type YamlPath } from './yaml-locate.ts';

/** The fields of a zod 4 issue that problems are built from. */
export interface IssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  expected?: string;
  values?: unknown[];
  origin?: string;
  minimum?: number | bigint;
  format?: string;
  issues?: IssueLike[];
}

interface SchemaDef {
  type?: string;
  shape?: Record<string, { def?: SchemaDef }>;
  innerType?: { def?: SchemaDef };
  valueType?: { def?: SchemaDef };
  element?: { def?: SchemaDef };
}

/** The keys a (strict) object schema allows at `path`, for did-you-mean hints on unknown keys. */
export function allowedKeysAt(schema: unknown, path: YamlPath): string[] {
  let def = unwrap((schema as { def?: SchemaDef }).def);
  for (const seg of path) {
    if (!def) return [];
    if (def.type === 'object') def = unwrap(def.shape?.[String(seg)]?.def);
    else if (def.type === 'record') def = unwrap(def.valueType?.def);
    else if (def.type === 'array') def = unwrap(def.element?.def);
    else return [];
  }
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

function unwrap(def: SchemaDef | undefined): SchemaDef | undefined {
  while (def && (def.type === 'optional' || def.type === 'nullable' || def.type === 'default')) def = def.innerType?.def;
  return def;
}

/** A sentence and a hint for one zod issue, in lab.yaml's words rather than zod's. */
export function describeIssue(issue: IssueLike, actual: unknown, sourceText: string | undefined): { message: string; hint?: string } {
  const where = formatYamlPath(issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      const expected = typeName(issue.expected ?? 'value');
      const got = typeOfValue(actual);
      const hint =
        issue.expected === 'string' && (typeof actual === 'number' || typeof actual === 'boolean')
          ? `quote it: "${sourceText ?? String(actual)}"`
          : issue.expected === 'array'
            ? 'write a list: [a, b] or one "- item" per line'
            : issue.expected === 'object'
              ? 'write a mapping: key: value'
              : undefined;
      return { message: `${where} must be ${expected}, not ${got}`, hint };
    }
    case 'invalid_value': {
      const values = (issue.values ?? []).map(String);
      const guess = typeof actual === 'string' ? didYouMean(actual, values) : undefined;
      return { message: `${where} must be one of ${values.join(', ')}, not ${JSON.stringify(actual)}`, hint: guess ? `did you mean "${guess}"?` : undefined };
    }
    case 'too_small':
      return issue.origin === 'string'
        ? { message: `${where} must not be empty`, hint: 'give it a value, or remove the key' }
        : { message: `${where} needs at least ${String(issue.minimum)} item(s)`, hint: 'add an item, or remove the key' };
    case 'invalid_format':
      return { message: `${where} has a bad value ${JSON.stringify(actual)}`, hint: issue.message };
    case 'invalid_key': {
      const inner = issue.issues?.[0]?.message ?? issue.message;
      const key = issue.path[issue.path.length - 1];
      return { message: `bad key "${String(key)}" in ${formatYamlPath(issue.path.slice(0, -1))}`, hint: inner };
    }
    default:
      return { message: `${where}: ${issue.message}` };
  }
}

function typeName(t: string): string {
  if (t === 'object') return 'a mapping';
  if (t === 'array') return 'a list';
  if (t === 'string') return 'a string';
  if (t === 'boolean') return 'true or false';
  if (t === 'number') return 'a number';
  return t;
}

function typeOfValue(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `${typeof v === 'number' ? 'the number' : 'the value'} ${String(v)}`;
}
