import type { LabConfig } from '../model/lab.ts';
import { buildClasses } from '../normalise/classes.ts';
import { tokenizeLine, type NormaliseContext } from '../normalise/tokenize.ts';
import { createVolatileMarker, type MarkVolatile } from './mark-volatile.ts';

/**
 * The volatile-token marker of a lab: the normaliser's built-in classes plus the lab's own
 * `volatile` classes, with its `pin` values kept literal — the same tokens the runner treats as
 * volatile are the ones the page marks. Pages outside labs get the built-in classes.
 */
export function createLabMarker(config: Pick<LabConfig, 'volatile' | 'pin'> | undefined): MarkVolatile {
  const classes = buildClasses(config?.volatile);
  const pins: ReadonlySet<string> = new Set(config?.pin ?? []);
  const labels = new Map(classes.map((c) => [c.name, c.label]));
  const bindable = new Set(classes.filter((c) => c.bind).map((c) => c.name));
  return createVolatileMarker((line) => tokenizeLine(line, { classes, pins }, { expected: true }), labels, bindable);
}

/** The normaliser's context of a lab (its classes and pins), as the runner builds it. */
export function createLabContext(config: Pick<LabConfig, 'volatile' | 'pin'> | undefined): NormaliseContext {
  return { classes: buildClasses(config?.volatile), pins: new Set(config?.pin ?? []) };
}
