import { didYouMean } from '../../model/location.ts';
import { readFieldVocabulary, suggestNames } from './field-vocabulary.ts';
import { findUnknownFields, isDeclaredField, toPointer, type FieldPath } from './find-unknown-fields.ts';
import { groupOf, SCHEMA_KUBERNETES_VERSION, type ModelRegistry, type SchemaError } from './model-registry.ts';
import { findRemovedApi } from './removed-apis.ts';

/** One thing wrong with a manifest, located by its path inside the object. */
export interface ManifestIssue {
  /** Path of the offending field; [] for the object as a whole. */
  path: FieldPath;
  /** Point at the key (unknown fields) or at the value (wrong types, bad values). */
  part: 'key' | 'value';
  message: string;
  hint?: string;
}

/** What validateManifest found: issues, or that the kind is not checked (a CRD no package ships). */
export interface ManifestReport {
  /** `Deployment website`, for messages. */
  label: string;
  checked: boolean;
  issues: ManifestIssue[];
}

const APIMACHINERY = '@kubernetes-models/apimachinery';

/**
 * Validates one Kubernetes object (a YAML document turned into a value) offline: apiVersion and
 * kind against the APIs Kubernetes serves, then every field against the kind's schema — unknown
 * fields, wrong types, missing required fields, values outside an enum. Never throws.
 */
export async function validateManifest(doc: Record<string, unknown>, registry: ModelRegistry): Promise<ManifestReport> {
  const apiVersion = doc.apiVersion;
  const kind = doc.kind;
  const name = (doc.metadata as { name?: unknown } | undefined)?.name;
  const label = `${typeof kind === 'string' ? kind : 'object'}${typeof name === 'string' ? ` ${name}` : ''}`;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    const missing = typeof apiVersion !== 'string' ? 'apiVersion' : 'kind';
    return { label, checked: false, issues: [{ path: [], part: 'key', message: `${label} has no ${missing}`, hint: `every Kubernetes object names its apiVersion and kind, e.g. apiVersion: v1 and kind: Service` }] };
  }

  const removed = findRemovedApi(apiVersion, kind);
  if (removed) {
    return {
      label,
      checked: true,
      issues: [{ path: ['apiVersion'], part: 'value', message: `${kind} ${apiVersion} was removed in Kubernetes ${removed.removedIn}`, hint: `use ${removed.use}` }],
    };
  }

  const found = await registry.lookup(apiVersion, kind);
  if (found.state === 'unchecked') return { label, checked: false, issues: [] };
  if (found.state === 'unknown-version') {
    const served = found.versions.filter((v) => !findRemovedApi(v, kind));
    const best = didYouMean(apiVersion, served) ?? (served.length === 1 ? served[0] : undefined);
    const group = groupOf(apiVersion);
    return {
      label,
      checked: true,
      issues: [{ path: ['apiVersion'], part: 'value', message: `unknown apiVersion "${apiVersion}" for ${kind}`, hint: best ? `did you mean "${best}"?` : `the ${group} group serves ${served.join(', ')} (Kubernetes ${SCHEMA_KUBERNETES_VERSION})` }],
    };
  }
  if (found.state === 'unknown-kind') {
    const near = didYouMean(kind, found.kinds);
    const hint = near ? `did you mean "${near}"?` : found.elsewhere.length > 0 ? `${kind} is served by apiVersion ${found.elsewhere.filter((v) => !findRemovedApi(v, kind)).join(', ') || found.elsewhere.join(', ')}` : `${apiVersion} serves ${found.kinds.join(', ')}`;
    return { label, checked: true, issues: [{ path: ['kind'], part: 'value', message: `unknown kind "${kind}" in ${apiVersion}`, hint }] };
  }

  const validate = found.validate;
  const errors = validate(doc);
  const issues: ManifestIssue[] = [];
  const explained = new Set<string>(); // required-property errors a typo already explains
  const vocabulary = (): string[] => [...readFieldVocabulary(found.pkg), ...readFieldVocabulary(APIMACHINERY)];

  for (const path of findUnknownFields(doc, validate)) {
    const parent = path.slice(0, -1);
    const field = String(path.at(-1));
    const missing = errors.filter((e) => e.keyword === 'required' && e.instancePath === toPointer(parent)).map((e) => String(e.params.missingProperty));
    const suggestion = didYouMean(field, missing) ?? suggestNames(field, vocabulary(), (n) => isDeclaredField(doc, parent, n, validate));
    if (suggestion && missing.includes(suggestion)) explained.add(`${toPointer(parent)}#${suggestion}`);
    issues.push({
      path,
      part: 'key',
      message: `unknown field "${formatPath(path)}" in ${label}`,
      hint: suggestion ? `did you mean "${suggestion}"?` : `${kind} has no such field here (see kubectl explain ${explainPath(kind, parent)})`,
    });
  }

  for (const e of errors) {
    if (e.keyword === 'required' && explained.has(`${e.instancePath}#${String(e.params.missingProperty)}`)) continue;
    issues.push(describeError(e, doc, kind, label));
  }
  return { label, checked: true, issues: dedupe(issues) };
}

/** Turns one schema error into an issue with a message a reader can act on. */
function describeError(e: SchemaError, doc: unknown, kind: string, label: string): ManifestIssue {
  const path = fromPointer(e.instancePath);
  const where = formatPath(path) || kind;
  const explain = `see kubectl explain ${explainPath(kind, path)}`;
  switch (e.keyword) {
    case 'required': {
      const field = String(e.params.missingProperty);
      return { path, part: 'key', message: `${label} is missing the required field "${formatPath([...path, field])}"`, hint: `add ${field}: (see kubectl explain ${explainPath(kind, [...path, field])})` };
    }
    case 'type': {
      const actual = valueAt(doc, path);
      return { path, part: 'value', message: `"${where}" must be ${article(String(e.params.type))}, not ${describeValue(actual)}`, hint: typeHint(String(e.params.type), actual) ?? explain };
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[] | undefined)?.map(String) ?? [];
      const actual = valueAt(doc, path);
      const near = typeof actual === 'string' ? didYouMean(actual, allowed) : undefined;
      return { path, part: 'value', message: `"${where}" is ${describeValue(actual)}, which is not one of ${allowed.join(', ')}`, hint: near ? `did you mean "${near}"?` : explain };
    }
    default:
      return { path, part: 'value', message: `"${where}" ${e.message ?? `fails the ${e.keyword} check`}`, hint: explain };
  }
}

function typeHint(expected: string, actual: unknown): string | undefined {
  if ((expected === 'integer' || expected === 'number') && typeof actual === 'string' && /^-?\d+(\.\d+)?$/.test(actual.trim())) return 'write the number without quotes';
  if (expected === 'string' && (typeof actual === 'number' || typeof actual === 'boolean')) return `quote it: "${String(actual)}"`;
  if (expected === 'array' && actual !== null && typeof actual === 'object') return 'make it a list: start each item with "- "';
  return undefined;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string "${v.length > 40 ? `${v.slice(0, 37)}…` : v}"`;
  return `${typeof v} ${String(v)}`;
}

/** `spec.template.spec.containers[0].image`: the path as a reader of YAML names it. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

/** `deployment.spec.template.spec.containers`: the argument of `kubectl explain` (no indexes). */
function explainPath(kind: string, path: FieldPath): string {
  return [kind.toLowerCase(), ...path.filter((s): s is string => typeof s === 'string')].join('.');
}

function fromPointer(pointer: string): FieldPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function valueAt(doc: unknown, path: FieldPath): unknown {
  let v: unknown = doc;
  for (const seg of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined;
  return v;
}

function dedupe(issues: ManifestIssue[]): ManifestIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${toPointer(i.path)}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
