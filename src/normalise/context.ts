import type { VolatileDef } from '../model/lab.ts';
import { buildClasses } from './classes.ts';
import type { NormaliseContext } from './tokenize.ts';

/**
 * Addresses that are the same on every machine: the unspecified and loopback addresses and the
 * broadcast and all-zero MACs. They are matched literally, like `pin` values, and a page never
 * marks them as values the reader's machine will show differently.
 */
export const CONSTANT_VALUES: readonly string[] = Object.freeze([
  '0.0.0.0',
  '127.0.0.1',
  '255.255.255.255',
  '::',
  '::1',
  'ff:ff:ff:ff:ff:ff',
  'FF:FF:FF:FF:FF:FF',
  '00:00:00:00:00:00',
]);

/** The origin of the constant addresses' bindings, for notes. */
export const CONSTANT_ORIGIN = 'constant';

/** What a lab says about volatile values: lab.yaml `volatile` and `pin`. */
export interface ContextSettings {
  volatile?: readonly VolatileDef[];
  pin?: readonly string[];
}

/**
 * The normalise context of a lab: its classes (its own, the opt-in ones it names, the built-ins)
 * and the values matched literally (its `pin` values and the constant addresses). The runner, the
 * update stage and the site all build it here, so a page marks exactly what the runner loosens.
 */
export function buildContext(settings: ContextSettings = {}): NormaliseContext {
  return { classes: buildClasses(settings.volatile), pins: new Set([...CONSTANT_VALUES, ...(settings.pin ?? [])]) };
}
