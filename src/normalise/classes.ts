import type { OptInClassName, PatternClassDef, VolatileDef } from '../model/lab.ts';
import { ageClass } from './classes/age.ts';
import { chainHashClass } from './classes/chain-hash.ts';
import { digestClass } from './classes/digest.ts';
import { generatedNameClass } from './classes/generated-name.ts';
import { ipv4Class } from './classes/ipv4.ts';
import { ipv6Class } from './classes/ipv6.ts';
import { macClass } from './classes/mac.ts';
import { timestampClass } from './classes/timestamp.ts';
import type { VolatileClass } from './classes/types.ts';

export type { VolatileClass } from './classes/types.ts';

/**
 * The built-in volatile classes of contract §5, in priority order: when two classes find a
 * token at the same position the longer one wins, and on equal length the earlier class.
 */
export const BUILTIN_CLASSES: readonly VolatileClass[] = Object.freeze([
  timestampClass,
  chainHashClass,
  generatedNameClass,
  digestClass,
  ipv6Class,
  macClass,
  ipv4Class,
  ageClass,
]);

/**
 * The class of an author's inline `[[…]]` marker: the actual value is whatever stands between the
 * marker's neighbours. Marked values are not bound: authors mark counters and timings
 * (`[[0]]` packets, `[[0.079/0.261/0.502]]`), where the same example legitimately stands for
 * different values. A value that must stay consistent (and be substituted into later commands)
 * belongs in a lab `volatile` class, which binds.
 */
export const MARKED_CLASS: VolatileClass = {
  name: 'marked',
  label: 'example value',
  noun: 'value',
  pattern: /(?!)/g,
  bind: false,
};

/**
 * The classes of a lab: its own `volatile` classes first (they win ties), then the built-ins. A
 * lab class named like a built-in replaces it.
 * @throws Error naming the class when a pattern does not compile (lab-config validation reports
 *   this with a location first; this is the backstop).
 * @example buildClasses([{ name: 'sep-chain', pattern: 'KUBE-SEP-[A-Z2-7]{16}' }])
 */
export function buildClasses(defs: readonly VolatileDef[] = []): VolatileClass[] {
  const lab = defs.filter((d) => typeof d !== 'string').map(compileDef);
  const names = new Set(lab.map((c) => c.name));
  const optIn = defs.filter((d) => typeof d === 'string').map((name) => OPT_IN[name]);
  return [...lab, ...BUILTIN_CLASSES.filter((c) => !names.has(c.name)), ...optIn.filter((c) => !names.has(c.name))];
}

// A whole number standing alone: not part of an address, a version, a time or a word.
const WHOLE_NUMBER = '(?<![\\w.:/-])\\d+(?![\\w.:/]|-\\d)';

/** The opt-in classes (see `OPT_IN_CLASSES`): listed after the built-ins, so those win ties. */
const OPT_IN: Record<OptInClassName, VolatileClass> = {
  count: { name: 'count', label: 'counter', noun: 'count', pattern: new RegExp(WHOLE_NUMBER, 'g'), bind: false, hint: /\d/ },
  pid: { name: 'pid', label: 'process id', noun: 'process', pattern: new RegExp(WHOLE_NUMBER, 'g'), bind: true, hint: /\d/ },
  port: { name: 'port', label: 'port', noun: 'port', pattern: /(?<=[^\s:]:)\d{1,5}(?![\w.:])/g, bind: true, hint: ':' },
};

function compileDef(def: PatternClassDef): VolatileClass {
  let pattern: RegExp;
  try {
    pattern = new RegExp(def.pattern, 'g');
  } catch (e) {
    throw new Error(`volatile class "${def.name}": pattern ${JSON.stringify(def.pattern)} is not a valid regular expression (${(e as Error).message})`, { cause: e });
  }
  return { name: def.name, label: def.label ?? def.name.replace(/-+/g, ' '), pattern, bind: def.bind ?? true };
}

/** Finds a class by name (`marked` included). */
export function findClass(classes: readonly VolatileClass[], name: string): VolatileClass | undefined {
  return name === MARKED_CLASS.name ? MARKED_CLASS : classes.find((c) => c.name === name);
}
