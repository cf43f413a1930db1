import type { SchemaError, ValidateObject } from './model-registry.ts';

/** A path into a manifest: keys and array indexes, e.g. `['spec', 'template', 'spec', 'containers', 0]`. */
export type FieldPath = readonly (string | number)[];

/** A value no schema accepts: not null, not a string, number, boolean, array or object. */
const PROBE = Symbol('labs-probe');
/** A key no Kubernetes type declares, to tell a struct from a map. */
const ODD_KEY = 'labs-probe-key';

/** JSON pointer of a path, as Ajv reports `instancePath` (`/metadata/annotations/a~1b`). */
export function toPointer(path: FieldPath): string {
  return path.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/**
 * Finds keys the schema does not declare. The compiled validators of the model package (like
 * Kubernetes' own OpenAPI schemas) do not forbid extra properties, while the API server rejects
 * them (strict field validation, the default of `kubectl apply`). So each key is probed: its
 * value is swapped for a value no schema accepts; a declared field then reports an error at
 * exactly that path, an undeclared one does not.
 *
 * - An object whose own probe passes accepts anything (an opaque `{}` schema): not descended.
 * - An object where an invented key is reported is a map (labels, annotations, selectors): its
 *   keys are free, its values are still checked.
 * - Known gap: a declared field whose schema is `{}` reads as undeclared (no such field occurs
 *   in the objects a lab writes).
 */
export function findUnknownFields(doc: unknown, validate: ValidateObject): FieldPath[] {
  const unknown: FieldPath[] = [];
  const reportsAt = (path: FieldPath): boolean => {
    const pointer = toPointer(path);
    return validate(replaceAt(doc, path, PROBE)).some((e: SchemaError) => e.instancePath === pointer);
  };
  const walk = (value: unknown, path: FieldPath): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i]));
      return;
    }
    if (!isPlainObject(value)) return;
    if (path.length > 0 && !reportsAt(path)) return;
    const isMap = reportsAt([...path, ODD_KEY]);
    for (const key of Object.keys(value)) {
      const child = [...path, key];
      if (!isMap && !reportsAt(child)) {
        unknown.push(child);
        continue;
      }
      walk(value[key], child);
    }
  };
  walk(doc, []);
  return unknown;
}

/** Whether `name` is a declared field of the object at `parent` (same probe as above). */
export function isDeclaredField(doc: unknown, parent: FieldPath, name: string, validate: ValidateObject): boolean {
  const path = [...parent, name];
  const pointer = toPointer(path);
  return validate(replaceAt(doc, path, PROBE)).some((e) => e.instancePath === pointer);
}

/** A copy of `doc` with the value at `path` replaced (containers on the path copied, the rest shared). */
export function replaceAt(doc: unknown, path: FieldPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(doc) && typeof head === 'number') {
    const copy = [...doc];
    copy[head] = replaceAt(doc[head], rest, value);
    return copy;
  }
  const base = isPlainObject(doc) ? doc : {};
  return { ...base, [String(head)]: replaceAt(base[String(head)], rest, value) };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
