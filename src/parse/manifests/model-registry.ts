import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Packages that ship Kubernetes models with compiled JSON-schema validators, in lookup order.
 * `kubernetes-models` holds the built-in API groups (schemas of Kubernetes v1.36, merged with a
 * few older releases so that removed versions still load); `@kubernetes-models/gateway-api` holds
 * the Gateway API CRDs. CRDs of other projects (MetalLB, Emissary, Linkerd…) ship in no package
 * and are skipped.
 */
export const MODEL_PACKAGES = ['kubernetes-models', '@kubernetes-models/gateway-api'] as const;

/** The Kubernetes release whose OpenAPI schemas `kubernetes-models` 5.x was generated from. */
export const SCHEMA_KUBERNETES_VERSION = 'v1.36';

/** One error of a compiled validator (the subset of Ajv's ErrorObject used here). */
export interface SchemaError {
  /** JSON pointer of the value, e.g. `/spec/replicas`. */
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Validates one whole object (apiVersion, kind, metadata, spec…); returns its errors, [] when valid. */
export type ValidateObject = (value: unknown) => SchemaError[];

/** What a registry knows about an (apiVersion, kind) pair. */
export type ModelLookup =
  | { state: 'known'; validate: ValidateObject; pkg: string }
  /** A group no package ships (a CRD): nothing to check. */
  | { state: 'unchecked' }
  /** The group is known but this version is not served. */
  | { state: 'unknown-version'; versions: string[] }
  /** The version is known but has no such kind. */
  | { state: 'unknown-kind'; kinds: string[]; elsewhere: string[] };

interface ModelClass {
  kind?: unknown;
  apiVersion?: unknown;
  new (data: unknown): { validate(): void };
}

const SEGMENT = /^[A-Za-z0-9.-]+$/;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * Finds the validator of a Kubernetes kind in the model packages. Imports are lazy and cached,
 * so a lab that uses three kinds loads three validators (and what they reference), not 1,800.
 */
export class ModelRegistry {
  /** apiVersion (`v1`, `apps/v1`, `gateway.networking.k8s.io/v1`) → package that serves it. */
  readonly #versions = new Map<string, string>();
  readonly #kinds = new Map<string, Promise<ModelClass | undefined>>();
  readonly #indexes = new Map<string, Promise<string[]>>();

  constructor(packages: readonly string[] = MODEL_PACKAGES) {
    for (const pkg of packages) {
      for (const v of listApiVersions(pkg)) if (!this.#versions.has(v)) this.#versions.set(v, pkg);
    }
  }

  /** Every apiVersion the packages serve. */
  get apiVersions(): string[] {
    return [...this.#versions.keys()];
  }

  /** Looks up the validator of `kind` in `apiVersion`. Never throws. */
  async lookup(apiVersion: string, kind: string): Promise<ModelLookup> {
    const pkg = this.#versions.get(apiVersion);
    if (!pkg) {
      const group = groupOf(apiVersion);
      const versions = this.apiVersions.filter((v) => groupOf(v) === group);
      return versions.length > 0 ? { state: 'unknown-version', versions } : { state: 'unchecked' };
    }
    const model = await this.#load(pkg, apiVersion, kind);
    if (model) return { state: 'known', pkg, validate: (value) => runModel(model, value) };
    const kinds = await this.#listKinds(pkg, apiVersion);
    const elsewhere: string[] = [];
    for (const [v, p] of this.#versions) {
      if (v !== apiVersion && (await this.#load(p, v, kind))) elsewhere.push(v);
    }
    return { state: 'unknown-kind', kinds, elsewhere };
  }

  /** The model class of a kind, if the package has a top-level kind of that name. */
  #load(pkg: string, apiVersion: string, kind: string): Promise<ModelClass | undefined> {
    if (!KIND.test(kind) || !apiVersion.split('/').every((s) => SEGMENT.test(s))) return Promise.resolve(undefined);
    const key = `${pkg}/${apiVersion}/${kind}`;
    let p = this.#kinds.get(key);
    if (!p) {
      p = import(key).then(
        (mod: Record<string, unknown>) => {
          const cls = mod[kind] as ModelClass | undefined;
          return typeof cls === 'function' && cls.kind === kind && cls.apiVersion === apiVersion ? cls : undefined;
        },
        () => undefined,
      );
      this.#kinds.set(key, p);
    }
    return p;
  }

  /** Top-level kinds of one apiVersion (for "did you mean"). */
  #listKinds(pkg: string, apiVersion: string): Promise<string[]> {
    const key = `${pkg}/${apiVersion}`;
    let p = this.#indexes.get(key);
    if (!p) {
      p = import(key).then(
        (mod: Record<string, unknown>) =>
          Object.values(mod)
            .filter((c): c is ModelClass => typeof c === 'function' && typeof (c as ModelClass).kind === 'string' && (c as ModelClass).apiVersion === apiVersion)
            .map((c) => c.kind as string)
            .filter((k) => !k.endsWith('List')),
        () => [],
      );
      this.#indexes.set(key, p);
    }
    return p;
  }
}

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (the core group). */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** apiVersions a model package serves, read from its export map (`./apps/v1`, `./v1`). */
function listApiVersions(pkg: string): string[] {
  let exportsMap: Record<string, unknown>;
  try {
    const manifest = fileURLToPath(import.meta.resolve(`${pkg}/package.json`));
    exportsMap = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, unknown> }).exports ?? {};
  } catch {
    try {
      // Packages whose export map hides package.json: find it next to the main entry.
      const main = fileURLToPath(import.meta.resolve(pkg));
      const manifest = main.replace(/[/\\][^/\\]+$/, '/package.json');
      exportsMap = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, unknown> }).exports ?? {};
    } catch {
      return [];
    }
  }
  const out: string[] = [];
  for (const key of Object.keys(exportsMap)) {
    const m = /^\.\/([^/*]+)(?:\/([^/*]+))?$/.exec(key);
    if (!m || m[1] === '_schemas') continue;
    if (m[2] !== undefined) out.push(`${m[1]}/${m[2]}`);
    else if (/^v\d+((alpha|beta)\d+)?$/.test(m[1]!)) out.push(m[1]!); // the core group: ./v1
  }
  return out;
}

/** Runs a model's compiled validator on a value and returns the errors it reports. */
function runModel(model: ModelClass, value: unknown): SchemaError[] {
  try {
    new model(value).validate();
    return [];
  } catch (e) {
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors)) return errors as SchemaError[];
    return [{ instancePath: '', keyword: 'exception', params: {}, message: e instanceof Error ? e.message : String(e) }];
  }
}
